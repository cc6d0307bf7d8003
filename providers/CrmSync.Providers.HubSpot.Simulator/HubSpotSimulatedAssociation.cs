namespace CrmSync.Providers.HubSpot.Simulator;

/// <summary>
/// An association stored by the simulator, from one record to another.
/// </summary>
/// <param name="ToObjectType">The object type the association points to, for example <c>contacts</c>.</param>
/// <param name="ToObjectId">The id of the associated record.</param>
/// <param name="AssociationCategory">The association category, for example <c>HUBSPOT_DEFINED</c>.</param>
/// <param name="AssociationTypeId">The association type id, for example <c>202</c> for note to contact.</param>
public sealed record HubSpotSimulatedAssociation(string ToObjectType, string ToObjectId, string AssociationCategory, int AssociationTypeId);
