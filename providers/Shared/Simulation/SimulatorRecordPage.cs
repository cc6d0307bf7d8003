using System.Net;
using System.Text;

namespace CrmSync.Simulation;

/// <summary>
/// The simple web page a simulator serves at the URL where the real CRM's web app shows a record, so the deep links
/// providers build ("Open it in HubSpot", the CRM column of Recent activity) open something real in the sample portal.
/// It is the CRM's web app, not its API: no bearer token, no API rate limit.
/// </summary>
internal static class SimulatorRecordPage
{
    /// <summary>Renders the page of one record.</summary>
    /// <param name="crmName">The CRM (for example <c>HubSpot</c>).</param>
    /// <param name="objectLabel">The record type as the CRM names it (for example <c>Contact</c>).</param>
    /// <param name="id">The CRM record id.</param>
    /// <param name="fields">The record's stored fields.</param>
    /// <returns>A 200 HTML page.</returns>
    public static SimulatorResponse Found(string crmName, string objectLabel, string id, IEnumerable<KeyValuePair<string, string?>> fields)
    {
        var rows = new StringBuilder();
        foreach (var (name, value) in fields.Where(f => !string.IsNullOrEmpty(f.Value)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            rows.Append("<tr><th scope=\"row\">").Append(WebUtility.HtmlEncode(name)).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        }

        var title = $"{objectLabel} {id}";
        return SimulatorResponse.Html(200, Page(crmName, title, $"""
            <h1>{WebUtility.HtmlEncode(title)}</h1>
            <table data-record-id="{WebUtility.HtmlEncode(id)}"><tbody>{rows}</tbody></table>
            """));
    }

    /// <summary>Renders the page the CRM shows for a record that does not exist (deleted, or a wrong id).</summary>
    /// <param name="crmName">The CRM.</param>
    /// <param name="objectLabel">The record type.</param>
    /// <param name="id">The id asked for.</param>
    /// <returns>A 404 HTML page.</returns>
    public static SimulatorResponse Missing(string crmName, string objectLabel, string id) =>
        SimulatorResponse.Html(404, Page(crmName, "Record not found", $"<h1>Record not found</h1><p>{WebUtility.HtmlEncode(objectLabel)} {WebUtility.HtmlEncode(id)} does not exist or was deleted.</p>"));

    private static string Page(string crmName, string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}} · {{WebUtility.HtmlEncode(crmName)}} (simulated)</title>
        <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1f1f1f}th{text-align:left;padding:.25rem 1rem .25rem 0;color:#555;font-weight:500}td{padding:.25rem 0}</style></head>
        <body><p>{{WebUtility.HtmlEncode(crmName)}} (simulated)</p>{{body}}</body></html>
        """;
}
