namespace CrmSync.Providers.HubSpot.Simulator.Internal;

/// <summary>
/// The OAuth scopes HubSpot requires per endpoint, as its API reference lists them under "Requirements":
/// objects <c>crm.objects.{type}.read|write</c> (engagements — notes, emails, calls, meetings, tasks — take the contacts
/// scopes); property definitions <c>crm.schemas.{type}.read</c> (or the object read scope) and <c>crm.schemas.{type}.write</c>;
/// pipelines and associations the object read scopes; owners <c>crm.objects.owners.read</c>.
/// </summary>
internal static class HubSpotScopes
{
    /// <summary>Every scope the simulator checks: what a token "with every scope" holds.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "crm.objects.contacts.read", "crm.objects.contacts.write",
        "crm.objects.companies.read", "crm.objects.companies.write",
        "crm.objects.deals.read", "crm.objects.deals.write",
        "crm.schemas.contacts.read", "crm.schemas.contacts.write",
        "crm.schemas.companies.read", "crm.schemas.companies.write",
        "crm.schemas.deals.read", "crm.schemas.deals.write",
        "crm.objects.owners.read",
    ];

    /// <summary>
    /// Returns whether the granted scopes allow a call to a CRM route (the path after <c>/crm/v3/</c> or the date version);
    /// when they do not, <paramref name="required"/> holds the scopes of which one is needed.
    /// </summary>
    /// <param name="granted">The scopes the token was granted.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="route">The route segments, for example <c>objects</c>, <c>contacts</c>, <c>batch</c>, <c>upsert</c>.</param>
    /// <param name="normalize">Maps an object type as written in a path (<c>contact</c>, <c>0-1</c>) to its plural name, or <see langword="null"/>.</param>
    /// <param name="required">The scopes of which one is needed, when the call is refused.</param>
    public static bool Allows(IReadOnlyCollection<string> granted, string method, string[] route, Func<string, string?> normalize, out IReadOnlyList<string> required)
    {
        required = [];
        switch (route)
        {
            case ["objects", var type, ..]:
            {
                var family = Family(normalize(type));
                var read = method == "GET" || (method == "POST" && route is [_, _, "search"] or [_, _, "batch", "read"]);
                return family is null || Check(granted, [$"crm.objects.{family}.{(read ? "read" : "write")}"], out required);
            }

            case ["properties", var type, ..]:
            {
                var family = Family(normalize(type));
                var read = method == "GET" || (method == "POST" && route is [_, _, "batch", "read"]);
                return family is null || Check(granted, read ? [$"crm.schemas.{family}.read", $"crm.objects.{family}.read"] : [$"crm.schemas.{family}.write"], out required);
            }

            case ["pipelines", var type, ..]:
            {
                var family = Family(normalize(type));
                var read = method == "GET";
                return family is null || Check(granted, read ? [$"crm.objects.{family}.read", $"crm.schemas.{family}.read"] : [$"crm.schemas.{family}.write"], out required);
            }

            case ["associations", var from, var to, ..]:
            {
                // Reading associations needs read access to both sides.
                var fromFamily = Family(normalize(from));
                var toFamily = Family(normalize(to));
                return (fromFamily is null || Check(granted, [$"crm.objects.{fromFamily}.read"], out required))
                    && (toFamily is null || Check(granted, [$"crm.objects.{toFamily}.read"], out required));
            }

            case ["owners", ..]:
                return Check(granted, ["crm.objects.owners.read"], out required);

            default:
                return true;
        }
    }

    /// <summary>The scope family of an object type: engagements use the contacts scopes.</summary>
    private static string? Family(string? objectType) => objectType switch
    {
        null => null,
        "contacts" or "notes" or "emails" or "calls" or "meetings" or "tasks" => "contacts",
        _ => objectType,
    };

    private static bool Check(IReadOnlyCollection<string> granted, string[] anyOf, out IReadOnlyList<string> required)
    {
        if (anyOf.Any(granted.Contains))
        {
            required = [];
            return true;
        }

        required = anyOf;
        return false;
    }
}
