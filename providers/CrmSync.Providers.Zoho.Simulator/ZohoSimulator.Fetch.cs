using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CrmSync.Providers.Zoho.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Zoho.Simulator;

/// <content>
/// Reading records: <c>GET /crm/v8/{module}</c> with <c>fields</c>, <c>ids</c>, <c>sort_by</c>/<c>sort_order</c>,
/// <c>page</c> or <c>page_token</c>/<c>per_page</c> (<c>info.more_records</c>, <c>info.next_page_token</c>) and
/// <c>If-Modified-Since</c> (304 when nothing changed); COQL (<c>POST /crm/v8/coql</c>) for filtered, keyset-ordered
/// reads and counts; and seeding helpers for deals, accounts, contacts and leads.
/// </content>
public sealed partial class ZohoSimulator
{
    /// <summary>The id of the admin user the simulator signs in as.</summary>
    public const string AdminUser = AdminUserId;

    /// <summary>The id of the second active user (Sam Seller).</summary>
    public const string SellerUser = "5725767000000411002";

    private const int MaxCoqlLimit = 2000;

    /// <summary>Adds an account as if a user created it in Zoho CRM now (simulator clock).</summary>
    /// <param name="name">The account name.</param>
    /// <param name="website">The website, if any.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <returns>The new record id.</returns>
    public string SeedAccount(string name, string? website = null, string ownerId = AdminUserId) =>
        Seed("Accounts", ownerId, new JsonObject { ["Account_Name"] = name, ["Website"] = website });

    /// <summary>Adds a deal as if a user created it in Zoho CRM now (simulator clock).</summary>
    /// <param name="name">The deal name.</param>
    /// <param name="stage">The stage, for example <c>Qualification</c>, <c>Closed Won</c>, <c>Closed Lost</c> or <c>Closed-Lost to Competition</c>.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <param name="accountId">The account, if any.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="leadSource">The lead source, if any.</param>
    /// <returns>The new record id.</returns>
    public string SeedDeal(string name, string stage = "Qualification", string ownerId = AdminUserId, string? accountId = null, decimal amount = 0, string? leadSource = null)
    {
        lock (_lock)
        {
            if (accountId is not null && !_modules["Accounts"].ContainsKey(accountId))
            {
                throw new ArgumentException($"No account {accountId}.", nameof(accountId));
            }

            var account = accountId is null ? null : new JsonObject { ["name"] = _modules["Accounts"][accountId].Data["Account_Name"]!.DeepClone(), ["id"] = accountId };
            return Seed("Deals", ownerId, new JsonObject
            {
                ["Deal_Name"] = name,
                ["Stage"] = stage,
                ["Account_Name"] = account,
                ["Amount"] = amount,
                ["Closing_Date"] = Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Lead_Source"] = leadSource,
            });
        }
    }

    /// <summary>Adds a contact as if a user created it in Zoho CRM now (simulator clock).</summary>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <param name="email">The email, if any.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <param name="accountId">The account, if any.</param>
    /// <param name="leadSource">The lead source, if any.</param>
    /// <returns>The new record id.</returns>
    public string SeedContact(string firstName, string lastName, string? email = null, string ownerId = AdminUserId, string? accountId = null, string? leadSource = null)
    {
        lock (_lock)
        {
            if (accountId is not null && !_modules["Accounts"].ContainsKey(accountId))
            {
                throw new ArgumentException($"No account {accountId}.", nameof(accountId));
            }

            var account = accountId is null ? null : new JsonObject { ["name"] = _modules["Accounts"][accountId].Data["Account_Name"]!.DeepClone(), ["id"] = accountId };
            return Seed("Contacts", ownerId, new JsonObject
            {
                ["First_Name"] = firstName,
                ["Last_Name"] = lastName,
                ["Full_Name"] = (firstName + " " + lastName).Trim(),
                ["Email"] = email,
                ["Account_Name"] = account,
                ["Lead_Source"] = leadSource,
            });
        }
    }

    /// <summary>Adds a lead as if a user created it in Zoho CRM now (simulator clock).</summary>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <param name="company">The company name.</param>
    /// <param name="status">The lead status, for example <c>Not Contacted</c> or <c>Contacted</c>.</param>
    /// <param name="leadSource">The lead source, if any.</param>
    /// <param name="email">The email, if any.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <returns>The new record id.</returns>
    public string SeedLead(string firstName, string lastName, string? company = null, string status = "Not Contacted", string? leadSource = null, string? email = null, string ownerId = AdminUserId) =>
        Seed("Leads", ownerId, new JsonObject
        {
            ["First_Name"] = firstName,
            ["Last_Name"] = lastName,
            ["Full_Name"] = (firstName + " " + lastName).Trim(),
            ["Company"] = company,
            ["Lead_Status"] = status,
            ["Lead_Source"] = leadSource,
            ["Email"] = email,
        });

    /// <summary>Changes a record the way a Zoho CRM user would: applies <paramref name="change"/> and stamps <c>Modified_Time</c> with the simulator clock.</summary>
    /// <param name="module">The module, for example <c>Deals</c>.</param>
    /// <param name="id">The record id.</param>
    /// <param name="change">The change; <see langword="null"/> only touches the record.</param>
    /// <returns>A snapshot after the change.</returns>
    public ZohoStoredRecord Modify(string module, string id, Action<JsonObject>? change = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        lock (_lock)
        {
            var table = TableFor(module) ?? throw new ArgumentException($"Unknown module '{module}'.", nameof(module));
            if (!table.TryGetValue(id, out var row))
            {
                throw new KeyNotFoundException($"No {module} record {id}.");
            }

            var now = Now;
            var data = (JsonObject)row.Data.DeepClone();
            change?.Invoke(data);
            data["Modified_Time"] = ZohoTime(now);
            data["Modified_By"] = UserRef(AdminUserId);
            if (data["Owner"] is JsonObject owner && ZohoCriteria.FieldText(owner["id"]) is { } ownerId)
            {
                data["Owner"] = UserRef(ownerId);
                row.OwnerId = ownerId;
            }

            row.Data = data;
            row.ModifiedAt = now;
            return new ZohoStoredRecord(row.Module, row.Id, (JsonObject)row.Data.DeepClone(), row.CreatedAt, row.ModifiedAt, row.OwnerId);
        }
    }

    private string Seed(string module, string ownerId, JsonObject fields)
    {
        lock (_lock)
        {
            if (!_users.ContainsKey(ownerId))
            {
                throw new ArgumentException($"No user {ownerId}.", nameof(ownerId));
            }

            var now = Now;
            var id = NewRecordId();
            var data = new JsonObject { ["id"] = id, ["Owner"] = UserRef(ownerId) };
            foreach (var (key, value) in fields)
            {
                data[key] = value?.DeepClone();
            }

            data["Created_Time"] = ZohoTime(now);
            data["Created_By"] = UserRef(AdminUserId);
            data["Modified_Time"] = ZohoTime(now);
            data["Modified_By"] = UserRef(AdminUserId);
            _modules[module][id] = new Row(module, id, data, now, now, ownerId);
            return id;
        }
    }

    private ResponseMessage ListRecords(ApiCall call)
    {
        var module = CanonicalModule(call.ModuleGroup);
        var query = call.Query;
        if (!query.TryGetValue("fields", out var fieldText) || string.IsNullOrWhiteSpace(fieldText))
        {
            return Error(400, "REQUIRED_PARAM_MISSING", new JsonObject { ["param"] = "fields" }, "One of the expected parameter is missing");
        }

        var fields = fieldText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        IEnumerable<Row> rows = _modules[module].Values;
        if (query.TryGetValue("ids", out var idText) && idText.Length > 0)
        {
            var ids = idText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (ids.Count > 100)
            {
                return Error(400, "LIMIT_EXCEEDED", new JsonObject { ["limit"] = 100 }, "more than 100 ids given");
            }

            rows = rows.Where(r => ids.Contains(r.Id));
        }

        if (SimulatorHttp.Header(call.Request, "If-Modified-Since") is { } since)
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceTime))
            {
                return Error(400, "INVALID_DATA", new JsonObject { ["header"] = "If-Modified-Since" }, "invalid data");
            }

            rows = rows.Where(r => Seconds(r.ModifiedAt) > Seconds(sinceTime)).ToList();
            if (!rows.Any())
            {
                return SimulatorHttp.Empty(304);
            }
        }

        if (query.TryGetValue("sort_by", out var sortBy))
        {
            if (sortBy is not ("id" or "Created_Time" or "Modified_Time"))
            {
                return Error(400, "INVALID_DATA", new JsonObject { ["param"] = "sort_by" }, "invalid data");
            }

            var descending = !query.TryGetValue("sort_order", out var order) || order != "asc";
            long Key(Row r) => sortBy switch
            {
                "Created_Time" => Seconds(r.CreatedAt),
                "Modified_Time" => Seconds(r.ModifiedAt),
                _ => long.Parse(r.Id, CultureInfo.InvariantCulture),
            };
            rows = descending ? rows.OrderByDescending(Key).ThenByDescending(r => r.Id, StringComparer.Ordinal) : rows.OrderBy(Key).ThenBy(r => r.Id, StringComparer.Ordinal);
        }

        var list = rows.ToList();
        var perPage = query.TryGetValue("per_page", out var perPageText) && int.TryParse(perPageText, CultureInfo.InvariantCulture, out var pp) ? pp : 200;
        var page = query.TryGetValue("page", out var pageText) && int.TryParse(pageText, CultureInfo.InvariantCulture, out var p) ? p : 1;
        if (perPage is < 1 or > 200 || page < 1)
        {
            return Error(400, "INVALID_DATA", new JsonObject { ["param"] = page < 1 ? "page" : "per_page" }, "invalid data");
        }

        var offset = (page - 1) * perPage;
        if (query.TryGetValue("page_token", out var token) && !TryDecodePageToken(token, out offset))
        {
            return Error(400, "INVALID_TOKEN", new JsonObject { ["param"] = "page_token" }, "invalid data");
        }

        return TokenPage(list, offset, perPage, fields);
    }

    private static ResponseMessage TokenPage(List<Row> rows, int offset, int perPage, string[] fields)
    {
        var slice = rows.Skip(offset).Take(perPage).ToList();
        if (slice.Count == 0)
        {
            return SimulatorHttp.Empty(204);
        }

        var more = offset + slice.Count < rows.Count;
        return SimulatorHttp.Json(200, new JsonObject
        {
            ["data"] = new JsonArray(slice.Select(r => (JsonNode?)Project(r.Data, fields)).ToArray()),
            ["info"] = new JsonObject
            {
                ["per_page"] = perPage,
                ["count"] = slice.Count,
                ["page"] = (offset / perPage) + 1,
                ["more_records"] = more,
                ["next_page_token"] = more ? EncodePageToken(offset + slice.Count) : null,
                ["previous_page_token"] = offset > 0 ? EncodePageToken(Math.Max(0, offset - perPage)) : null,
            },
        });
    }

    private static string EncodePageToken(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("pt:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static bool TryDecodePageToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("pt:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static long Seconds(DateTimeOffset value) => value.ToUnixTimeSeconds();

    private ResponseMessage Coql(ApiCall call)
    {
        var body = SimulatorHttp.BodyObject(call.Request);
        if (body?["select_query"] is not JsonValue q || !q.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text))
        {
            return Error(400, "REQUIRED_PARAM_MISSING", new JsonObject { ["param"] = "select_query" }, "One of the expected parameter is missing");
        }

        ZohoCoql query;
        try
        {
            query = ZohoCoql.Parse(text);
        }
        catch (FormatException ex)
        {
            return Error(400, "SYNTAX_ERROR", new JsonObject { ["reason"] = ex.Message }, "error occurred while parsing the query");
        }

        var module = ModuleNames.FirstOrDefault(m => string.Equals(m, query.Module, StringComparison.OrdinalIgnoreCase));
        if (module is null)
        {
            return Error(400, "INVALID_QUERY", new JsonObject { ["reason"] = "invalid module", ["module"] = query.Module }, "invalid query formed");
        }

        if (query.Limit is < 1 or > MaxCoqlLimit)
        {
            return Error(400, "LIMIT_EXCEEDED", new JsonObject { ["limit"] = MaxCoqlLimit }, "limit exceeded");
        }

        var known = FieldMetadata(module).Select(f => f.ApiName).Concat(["id", "Created_Time", "Modified_Time", "Created_By", "Modified_By", "Full_Name"]).ToHashSet(StringComparer.Ordinal);
        var unknown = query.Fields.Concat(query.OrderBy.Select(o => o.Field)).FirstOrDefault(f => !known.Contains(f.Split('.')[0]));
        if (unknown is not null)
        {
            return Error(400, "INVALID_QUERY", new JsonObject { ["reason"] = "invalid column", ["column_name"] = unknown }, "invalid query formed");
        }

        var matching = _modules[module].Values.Select(r => r.Data).Where(query.Where).ToList();
        if (query.IsCount)
        {
            return SimulatorHttp.Json(200, new JsonObject
            {
                ["data"] = new JsonArray(new JsonObject { ["COUNT(id)"] = matching.Count }),
                ["info"] = new JsonObject { ["count"] = 1, ["more_records"] = false },
            });
        }

        IEnumerable<JsonObject> ordered = matching;
        if (query.OrderBy.Count > 0)
        {
            var comparer = Comparer<JsonObject>.Create((a, b) =>
            {
                foreach (var (field, descending) in query.OrderBy)
                {
                    var c = ZohoCoql.CompareValues(ZohoCoql.Read(a, field), ZohoCriteria.FieldText(ZohoCoql.Read(b, field)));
                    if (c != 0)
                    {
                        return descending ? -c : c;
                    }
                }

                return 0;
            });
            ordered = matching.Order(comparer);
        }

        var page = ordered.Skip(query.Offset).Take(query.Limit).ToList();
        if (page.Count == 0)
        {
            return SimulatorHttp.Empty(204);
        }

        var data = new JsonArray();
        foreach (var record in page)
        {
            var projected = new JsonObject { ["id"] = record["id"]?.DeepClone() };
            foreach (var field in query.Fields.Where(f => f != "id"))
            {
                var value = ZohoCoql.Read(record, field);

                // COQL returns lookups as {"id": …}; ask for Lookup.Field to read more of the related record.
                projected[field] = value is JsonObject lookup && !field.Contains('.', StringComparison.Ordinal) ? new JsonObject { ["id"] = lookup["id"]?.DeepClone() } : value?.DeepClone();
            }

            data.Add(projected);
        }

        return SimulatorHttp.Json(200, new JsonObject
        {
            ["data"] = data,
            ["info"] = new JsonObject { ["count"] = page.Count, ["more_records"] = query.Offset + page.Count < matching.Count },
        });
    }
}
