using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public sealed class ZohoSimulatorRecordsTests : ZohoSimulatorTestBase
{
    [Fact]
    public async Task Insert_ValidLead_Returns201WithSuccessDetails()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Leads", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Doe", ["Email"] = "a@b.com", ["Company"] = "Acme" }),
            ["trigger"] = new JsonArray("workflow"),
        });

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("SUCCESS", item["code"]!.GetValue<string>());
        Assert.Equal("record added", item["message"]!.GetValue<string>());
        Assert.Equal("success", item["status"]!.GetValue<string>());
        Assert.Equal("2026-03-10T09:00:00+00:00", item["details"]!["Created_Time"]!.GetValue<string>());
        var stored = Assert.Single(Sut.GetRecords("Leads"));
        Assert.Equal(item["details"]!["id"]!.GetValue<string>(), stored.Id);
        Assert.Equal("5725767000000411001", stored.OwnerId);
    }

    [Fact]
    public async Task Upsert_MixedBatch_ReturnsPerRecordResultsInOrder()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var existingId = await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "Old", ["External_Id"] = "ext-1" });
        Time.Advance(TimeSpan.FromMinutes(1));

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Leads/upsert", token, new JsonObject
        {
            ["data"] = new JsonArray(
                new JsonObject { ["Last_Name"] = "New", ["External_Id"] = "ext-1" },
                new JsonObject { ["Email"] = "missing@name.example", ["External_Id"] = "ext-2" },
                new JsonObject { ["Last_Name"] = "Bad", ["Email"] = "not-an-email", ["External_Id"] = "ext-3" },
                new JsonObject { ["Last_Name"] = "Fresh", ["External_Id"] = "ext-4" }),
            ["duplicate_check_fields"] = new JsonArray("External_Id"),
        });

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        var data = (JsonArray)(await ReadJsonAsync(response))["data"]!;
        Assert.Equal("update", data[0]!["action"]!.GetValue<string>());
        Assert.Equal("External_Id", data[0]!["duplicate_field"]!.GetValue<string>());
        Assert.Equal(existingId, data[0]!["details"]!["id"]!.GetValue<string>());
        Assert.Equal("record updated", data[0]!["message"]!.GetValue<string>());
        Assert.Equal(
            """{"code":"MANDATORY_NOT_FOUND","details":{"api_name":"Last_Name","json_path":"$.data[1].Last_Name"},"message":"required field not found","status":"error"}""",
            data[1]!.ToJsonString());
        Assert.Equal("INVALID_DATA", data[2]!["code"]!.GetValue<string>());
        Assert.Equal("Email", data[2]!["details"]!["api_name"]!.GetValue<string>());
        Assert.Equal("email", data[2]!["details"]!["expected_data_type"]!.GetValue<string>());
        Assert.Equal("insert", data[3]!["action"]!.GetValue<string>());
        Assert.Null(data[3]!["duplicate_field"]);
        var records = Sut.GetRecords("Leads");
        Assert.Equal(2, records.Count);
        Assert.Equal("New", records[0].Fields["Last_Name"]!.GetValue<string>());
        Assert.Equal(Time.GetUtcNow(), records[0].ModifiedAt);
    }

    [Fact]
    public async Task Upsert_WithoutDuplicateCheckFields_MatchesOnEmail()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var id = await InsertAsync(token, "Contacts", new JsonObject { ["Last_Name"] = "Doe", ["Email"] = "jane@acme.example" });

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Contacts/upsert", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Email"] = "JANE@acme.example", ["Phone"] = "123" }),
        });

        // Assert
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("Email", item["duplicate_field"]!.GetValue<string>());
        Assert.Equal(id, item["details"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upsert_MoreThan100Records_Returns400()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var data = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode?)new JsonObject { ["Last_Name"] = $"L{i}" }).ToArray());

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Leads/upsert", token, new JsonObject { ["data"] = data });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Sut.GetRecords("Leads"));
    }

    [Fact]
    public async Task Insert_DuplicateExternalId_ReturnsDuplicateDataWithExistingId()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var existingId = await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "First", ["External_Id"] = "ext-9" });

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Leads", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Second", ["External_Id"] = "ext-9" }),
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("DUPLICATE_DATA", item["code"]!.GetValue<string>());
        Assert.Equal("duplicate data", item["message"]!.GetValue<string>());
        Assert.Equal("External_Id", item["details"]!["api_name"]!.GetValue<string>());
        Assert.Equal(existingId, item["details"]!["duplicate_record"]!["id"]!.GetValue<string>());
        Assert.Equal("Leads", item["details"]!["duplicate_record"]!["module"]!["api_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateAndGet_ById_ChangesFieldsAndKeepsOthers()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var id = await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "Doe", ["Company"] = "Acme" });

        // Act
        using var update = await SendAsync(HttpMethod.Put, $"Leads/{id}", token, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["Phone"] = "555" }) });
        using var get = await SendAsync(HttpMethod.Get, $"Leads/{id}", token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var record = (await ReadJsonAsync(get))["data"]![0]!;
        Assert.Equal("555", record["Phone"]!.GetValue<string>());
        Assert.Equal("Acme", record["Company"]!.GetValue<string>());
        Assert.Equal("5725767000000411001", record["Owner"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateMany_UnknownId_ReturnsInvalidDataWithId()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Put, "Leads", token, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["id"] = "123", ["Phone"] = "1" }) });

        // Assert
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("INVALID_DATA", item["code"]!.GetValue<string>());
        Assert.Equal("123", item["details"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_WithXExternalHeader_FindsByExternalId()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var id = await InsertAsync(token, "Contacts", new JsonObject { ["Last_Name"] = "Ext", ["External_Id"] = "crm-42" });
        using var request = ApiRequest(HttpMethod.Get, "Contacts/crm-42", token);
        request.Headers.Add("X-EXTERNAL", "Contacts.External_Id");

        // Act
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(id, (await ReadJsonAsync(response))["data"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_NoMatch_Returns204WithEmptyBody()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "Leads/search?email=nobody@acme.example", token);

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Search_OrCriteria_ReturnsBothMatchesWithInfo()
    {
        // Arrange
        var token = await AccessTokenAsync();
        await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "A", ["Email"] = "a@b.com" });
        await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "B", ["Phone"] = "123" });
        await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "C", ["Phone"] = "999" });
        var criteria = Uri.EscapeDataString("((Email:equals:a@b.com)or(Phone:equals:123))");

        // Act
        using var response = await SendAsync(HttpMethod.Get, $"Leads/search?criteria={criteria}", token);

        // Assert
        var json = await ReadJsonAsync(response);
        Assert.Equal(new[] { "A", "B" }, ((JsonArray)json["data"]!).Select(r => r!["Last_Name"]!.GetValue<string>()));
        Assert.Equal(2, json["info"]!["count"]!.GetValue<int>());
        Assert.False(json["info"]!["more_records"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Search_InvalidCriteria_Returns400InvalidQuery()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "Leads/search?criteria=" + Uri.EscapeDataString("(Email:equals"), token);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_QUERY", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_WithSearchLag_MissesFreshRecordAndDuplicateInsertIsCaught()
    {
        // Arrange
        using var lagged = ZohoSimulator.Start(new ZohoSimulatorOptions { TimeProvider = Time, SearchLag = TimeSpan.FromSeconds(20), ExternalIdFieldExists = true });
        using var consent = await Http.GetAsync(new Uri($"{lagged.GetAccountsServer(ZohoDataCenter.Us)}/oauth/v2/auth?client_id=1000.SIMCLIENT&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"));
        var redirect = ParseRedirect(await consent.Content.ReadAsStringAsync());
        using var tokenResponse = await PostTokenAsync(new Uri(redirect["accounts-server"]), new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "sim-client-secret",
            ["redirect_uri"] = RedirectUri,
            ["code"] = redirect["code"],
        });
        var token = (await ReadJsonAsync(tokenResponse))["access_token"]!.GetValue<string>();
        var api = lagged.GetApiDomain(ZohoDataCenter.Us) + "/crm/v8/";
        async Task<HttpResponseMessage> Send(HttpMethod method, string path, JsonNode? body = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(api + path));
            request.Headers.TryAddWithoutValidation("Authorization", "Zoho-oauthtoken " + token);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            }

            return await Http.SendAsync(request);
        }

        using var created = await Send(HttpMethod.Post, "Leads", new JsonObject { ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Lag", ["External_Id"] = "lag-1" }) });
        var id = (await ReadJsonAsync(created))["data"]![0]!["details"]!["id"]!.GetValue<string>();

        // Act
        using var missed = await Send(HttpMethod.Get, "Leads/search?criteria=" + Uri.EscapeDataString("(External_Id:equals:lag-1)"));
        using var duplicate = await Send(HttpMethod.Post, "Leads", new JsonObject { ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Lag", ["External_Id"] = "lag-1" }) });
        Time.Advance(TimeSpan.FromSeconds(21));
        using var found = await Send(HttpMethod.Get, "Leads/search?criteria=" + Uri.EscapeDataString("(External_Id:equals:lag-1)"));

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, missed.StatusCode);
        Assert.Equal(id, (await ReadJsonAsync(duplicate))["data"]![0]!["details"]!["duplicate_record"]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
    }

    [Fact]
    public async Task List_WithoutFields_Returns400RequiredParamMissing()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "Leads", token);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("REQUIRED_PARAM_MISSING", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notes_CallsAndEvents_LinkToContactAndListOnV8RelatedLists()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var contactId = await InsertAsync(token, "Contacts", new JsonObject { ["Last_Name"] = "Doe" });

        // Act
        await InsertAsync(token, "Notes", new JsonObject
        {
            ["Note_Title"] = "Hi",
            ["Note_Content"] = "Met at the fair",
            ["Parent_Id"] = new JsonObject { ["module"] = new JsonObject { ["api_name"] = "Contacts" }, ["id"] = contactId },
        });
        await InsertAsync(token, "Calls", new JsonObject
        {
            ["Subject"] = "Intro",
            ["Call_Type"] = "Outbound",
            ["Call_Start_Time"] = "2026-01-15T10:00:00+00:00",
            ["Call_Duration"] = "05:30",
            ["Who_Id"] = new JsonObject { ["id"] = contactId },
        });
        await InsertAsync(token, "Events", new JsonObject
        {
            ["Event_Title"] = "Demo",
            ["Start_DateTime"] = "2026-01-16T10:00:00+00:00",
            ["End_DateTime"] = "2026-01-16T11:00:00+00:00",
            ["Participants"] = new JsonArray(new JsonObject { ["type"] = "contact", ["participant"] = contactId }),
        });
        await InsertAsync(token, "Events", new JsonObject
        {
            ["Event_Title"] = "Review",
            ["Start_DateTime"] = "2026-04-16T10:00:00+00:00",
            ["End_DateTime"] = "2026-04-16T11:00:00+00:00",
            ["Who_Id"] = new JsonObject { ["id"] = contactId },
        });
        using var notes = await SendAsync(HttpMethod.Get, $"Contacts/{contactId}/Notes", token);
        using var closed = await SendAsync(HttpMethod.Get, $"Contacts/{contactId}/Activities_History", token);
        using var open = await SendAsync(HttpMethod.Get, $"Contacts/{contactId}/Activities", token);
        using var calls = await SendAsync(HttpMethod.Get, $"Contacts/{contactId}/Calls", token);

        // Assert: the logged call and the past meeting are closed activities, the future meeting is open; v8 has no Calls list
        Assert.Equal("Met at the fair", (await ReadJsonAsync(notes))["data"]![0]!["Note_Content"]!.GetValue<string>());
        var closedRows = (await ReadJsonAsync(closed))["data"]!.AsArray();
        Assert.Equal(["Calls", "Events"], closedRows.Select(r => r!["Activity_Type"]!.GetValue<string>()));
        Assert.Equal("Intro", closedRows[0]!["Subject"]!.GetValue<string>());
        Assert.Equal("Review", Assert.Single((await ReadJsonAsync(open))["data"]!.AsArray())!["Event_Title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, calls.StatusCode);
        Assert.Equal("INVALID_DATA", (await ReadJsonAsync(calls))["code"]!.GetValue<string>());
        Assert.Single(Sut.GetRecords("Notes"));
        Assert.Single(Sut.GetRecords("Calls"));
        Assert.Equal(2, Sut.GetRecords("Events").Count);
    }

    [Fact]
    public async Task Call_WhoIdNotAContact_ReturnsInvalidDataLookup()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var leadId = await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "Lead" });

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Calls", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["Subject"] = "x",
                ["Call_Type"] = "Outbound",
                ["Call_Start_Time"] = "2026-01-15T10:00:00+00:00",
                ["Who_Id"] = new JsonObject { ["id"] = leadId },
            }),
        });

        // Assert
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("INVALID_DATA", item["code"]!.GetValue<string>());
        Assert.Equal("Who_Id", item["details"]!["api_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Users_ActiveUsers_ExcludesDisabledUser()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var all = await SendAsync(HttpMethod.Get, "users?type=AllUsers", token);
        using var active = await SendAsync(HttpMethod.Get, "users?type=ActiveUsers", token);

        // Assert
        Assert.Equal(3, ((JsonArray)(await ReadJsonAsync(all))["users"]!).Count);
        var activeUsers = (JsonArray)(await ReadJsonAsync(active))["users"]!;
        Assert.Equal(2, activeUsers.Count);
        Assert.All(activeUsers, u => Assert.Equal("active", u!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Fields_Leads_MarksLastNameMandatoryAndExternalIdUnique()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "settings/fields?module=Leads", token);

        // Assert
        var fields = (JsonArray)(await ReadJsonAsync(response))["fields"]!;
        Assert.True(fields.Single(f => f!["api_name"]!.GetValue<string>() == "Last_Name")!["system_mandatory"]!.GetValue<bool>());
        Assert.Equal("false", fields.Single(f => f!["api_name"]!.GetValue<string>() == "External_Id")!["unique"]!["casesensitive"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fields_Contacts_CarryPicklistValuesReadOnlyFlagsAndOperationTypes()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "settings/fields?module=Contacts", token);

        // Assert
        var fields = ((JsonArray)(await ReadJsonAsync(response))["fields"]!).ToDictionary(f => f!["api_name"]!.GetValue<string>(), f => f!);
        Assert.Equal("Lead Source", fields["Lead_Source"]["field_label"]!.GetValue<string>());
        Assert.Contains("Cold Call", fields["Lead_Source"]["pick_list_values"]!.AsArray().Select(v => v!["actual_value"]!.GetValue<string>()));
        Assert.Empty(fields["Email"]["pick_list_values"]!.AsArray());
        Assert.True(fields["Created_Time"]["read_only"]!.GetValue<bool>());
        Assert.True(fields["Created_Time"]["field_read_only"]!.GetValue<bool>());
        Assert.False(fields["Created_Time"]["operation_type"]!["api_update"]!.GetValue<bool>());
        Assert.False(fields["Title"]["field_read_only"]!.GetValue<bool>());
        Assert.True(fields["Title"]["operation_type"]!["api_create"]!.GetValue<bool>());
        Assert.Equal("jsonobject", fields["Account_Name"]["json_type"]!.GetValue<string>());
        Assert.Equal("Accounts", fields["Account_Name"]["lookup"]!["module"]!["api_name"]!.GetValue<string>());
        Assert.True(fields["External_Id"]["custom_field"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UnknownModule_Returns400InvalidModule()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "Potatoes/1", token);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_MODULE", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }
}
