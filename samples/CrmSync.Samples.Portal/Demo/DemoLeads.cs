namespace CrmSync.Samples.Portal.Demo;

/// <summary>The leads of the demo's own workflow engine, which ends each lead's workflow with a <c>crm_sync</c> step.</summary>
public static class DemoLeads
{
    /// <summary>Gets the demo leads: id and the values the workflow collected (placeholders of the step's syncFields).</summary>
    public static IReadOnlyList<(string Id, IReadOnlyDictionary<string, string?> Values)> All { get; } =
    [
        ("lead-grace", new Dictionary<string, string?>
        {
            ["firstName"] = "Grace", ["lastName"] = "Hopper", ["name"] = "Grace Hopper", ["email"] = "grace.hopper@example.com",
            ["phone"] = "+1 555 0100", ["company"] = "Navy Labs", ["callStatus"] = "answered", ["duration"] = "184", ["successEvaluation"] = "Qualified",
        }),
        ("lead-alan", new Dictionary<string, string?>
        {
            ["firstName"] = "Alan", ["lastName"] = "Turing", ["name"] = "Alan Turing", ["email"] = "alan.turing@example.com",
            ["phone"] = "+44 20 7946 0000", ["company"] = "Bletchley Park", ["callStatus"] = "voicemail", ["duration"] = "32", ["successEvaluation"] = "Call back",
        }),
    ];

    /// <summary>Gets syncFields that the demo CRM of <paramref name="provider"/> accepts, one <c>field = template</c> per line.</summary>
    /// <param name="provider">The provider name.</param>
    /// <returns>The default step configuration for that CRM.</returns>
    public static string DefaultSyncFields(string? provider) => provider switch
    {
        "hubspot" => "jobtitle = {{callStatus}} call, {{duration}} s: {{successEvaluation}}",
        "salesforce" => "Title = {{callStatus}} call, {{duration}} s: {{successEvaluation}}",
        _ => string.Empty,
    };
}
