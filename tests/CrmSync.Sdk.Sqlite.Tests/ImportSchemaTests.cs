using CrmSync.Sdk;
using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite.Tests;

public class ImportSchemaTests
{
    [Fact]
    public async Task InitializeAsync_DatabaseAtVersion1_AddsTheImportTablesAndKeepsExistingRows()
    {
        // Arrange: a database as version 1 left it (the version 2 and 3 tables and rows removed), with a connection in it.
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db");
        var original = new SqliteCrmSyncStore($"Data Source={path}");
        await original.InsertConnectionAsync(new Storage.StoredConnection { TenantId = "t", Id = Guid.NewGuid(), Provider = "inmemory", CreatedAt = DateTimeOffset.UnixEpoch });
        await using (var db = new SqliteConnection($"Data Source={path}"))
        {
            await db.OpenAsync();
            await using var downgrade = db.CreateCommand();
            downgrade.CommandText = """
                DROP TABLE crmsync_import_runs; DROP TABLE crmsync_inbox; DROP TABLE crmsync_lead_sources; DROP TABLE crmsync_timeline;
                DROP INDEX ix_crmsync_runs_running; ALTER TABLE crmsync_runs DROP COLUMN running; ALTER TABLE crmsync_runs DROP COLUMN lease_token;
                ALTER TABLE crmsync_outbox DROP COLUMN claim_token; ALTER TABLE crmsync_outbox DROP COLUMN held_until; ALTER TABLE crmsync_connections DROP COLUMN lease_token; ALTER TABLE crmsync_connections DROP COLUMN lease_incarnation;
                DROP INDEX ix_crmsync_alerts_open; ALTER TABLE crmsync_alerts DROP COLUMN state; ALTER TABLE crmsync_alerts DROP COLUMN closed_at;
                ALTER TABLE crmsync_alerts DROP COLUMN acknowledged_by; ALTER TABLE crmsync_alerts DROP COLUMN recipients;
                INSERT INTO crmsync_alerts (id, tenant_id, connection_id, provider, crm_name, kind, failures, message, raised_at, acknowledged)
                VALUES ('00000000-0000-0000-0000-000000000001', 't', '00000000-0000-0000-0000-000000000002', 'inmemory', 'CRM', 0, 3, 'old', 0, 1);
                DELETE FROM crmsync_schema WHERE version >= 2;
                """;
            await downgrade.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        var upgraded = new SqliteCrmSyncStore($"Data Source={path}");

        // Act
        await upgraded.InitializeAsync();
        var connections = await upgraded.GetConnectionsAsync("t");
        var counts = await upgraded.CountInboxAsync("t", null);
        var alerts = await upgraded.GetAlertsAsync("t", openOnly: false);

        // Assert
        Assert.Single(connections);
        Assert.Equal(new CrmInboxCounts(0, 0, 0, 0), counts);
        Assert.Equal(CrmSyncAlertState.Acknowledged, Assert.Single(alerts).State);
        Assert.Equal(7, SqliteSchema.LatestVersion);
    }
}
