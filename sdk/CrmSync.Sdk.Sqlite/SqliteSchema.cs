using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite;

/// <summary>Numbered migrations; each runs once, in order, in its own transaction.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE crmsync_connections (
            id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, provider TEXT NOT NULL, account_label TEXT, datacenter TEXT,
            credentials TEXT, settings TEXT NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL,
            schedulable INTEGER NOT NULL, next_sync_at INTEGER, last_outage_at INTEGER, lease_owner TEXT, lease_until INTEGER);
        CREATE INDEX ix_crmsync_connections_tenant ON crmsync_connections (tenant_id, created_at);
        CREATE INDEX ix_crmsync_connections_due ON crmsync_connections (schedulable, next_sync_at);
        CREATE TABLE crmsync_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, connection_id TEXT NOT NULL, object_type INTEGER NOT NULL,
            priority INTEGER NOT NULL, external_id TEXT NOT NULL, contact_external_id TEXT, idempotency_key TEXT NOT NULL,
            fields TEXT NOT NULL, origin INTEGER NOT NULL, enqueued_at INTEGER NOT NULL, state INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, processed_at INTEGER, crm_record_id TEXT, problem_type TEXT, error TEXT,
            UNIQUE (connection_id, idempotency_key));
        CREATE INDEX ix_crmsync_outbox_pending ON crmsync_outbox (connection_id, state, priority, id);
        CREATE INDEX ix_crmsync_outbox_processed ON crmsync_outbox (connection_id, processed_at);
        CREATE TABLE crmsync_records (
            connection_id TEXT NOT NULL, object_type INTEGER NOT NULL, external_id TEXT NOT NULL, crm_record_id TEXT NOT NULL,
            updated_at INTEGER NOT NULL, PRIMARY KEY (connection_id, object_type, external_id)) WITHOUT ROWID;
        CREATE TABLE crmsync_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, connection_id TEXT NOT NULL, started_at INTEGER NOT NULL,
            finished_at INTEGER NOT NULL, outcome INTEGER NOT NULL, synced INTEGER NOT NULL, skipped INTEGER NOT NULL,
            failed INTEGER NOT NULL, error TEXT);
        CREATE INDEX ix_crmsync_runs_connection ON crmsync_runs (connection_id, id);
        CREATE TABLE crmsync_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, connection_id TEXT NOT NULL, at INTEGER NOT NULL,
            event_type TEXT NOT NULL, records INTEGER NOT NULL, outcome INTEGER NOT NULL, crm_record_id TEXT, error TEXT);
        CREATE INDEX ix_crmsync_log_connection ON crmsync_log (connection_id, id);
        CREATE TABLE crmsync_alerts (
            id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, connection_id TEXT NOT NULL, provider TEXT NOT NULL, crm_name TEXT NOT NULL,
            kind INTEGER NOT NULL, failures INTEGER NOT NULL, message TEXT NOT NULL, link TEXT, raised_at INTEGER NOT NULL,
            acknowledged INTEGER NOT NULL);
        CREATE INDEX ix_crmsync_alerts_tenant ON crmsync_alerts (tenant_id, raised_at);
        CREATE TABLE crmsync_values (scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER, PRIMARY KEY (scope, key));
        """,
        """
        CREATE TABLE crmsync_import_runs (
            id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, connection_id TEXT NOT NULL, scope_key TEXT NOT NULL, status INTEGER NOT NULL,
            started_at INTEGER NOT NULL, resume_at INTEGER, high_water INTEGER, data TEXT NOT NULL);
        CREATE INDEX ix_crmsync_import_runs_connection ON crmsync_import_runs (tenant_id, connection_id, started_at);
        CREATE INDEX ix_crmsync_import_runs_scope ON crmsync_import_runs (connection_id, scope_key, status);
        CREATE INDEX ix_crmsync_import_runs_due ON crmsync_import_runs (status, resume_at);
        CREATE TABLE crmsync_inbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, connection_id TEXT NOT NULL, object_type INTEGER NOT NULL,
            crm_id TEXT NOT NULL, modified_at INTEGER NOT NULL, state INTEGER NOT NULL, record TEXT NOT NULL, first_seen_at INTEGER NOT NULL,
            fetched_at INTEGER NOT NULL, run_id TEXT, decided_at INTEGER, decided_by TEXT, delivered_at INTEGER,
            delivered_before INTEGER NOT NULL DEFAULT 0,
            UNIQUE (connection_id, object_type, crm_id));
        CREATE INDEX ix_crmsync_inbox_tenant_state ON crmsync_inbox (tenant_id, state, id);
        CREATE INDEX ix_crmsync_inbox_undelivered ON crmsync_inbox (tenant_id, id) WHERE state = 1 AND delivered_at IS NULL;
        CREATE TABLE crmsync_lead_sources (
            id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, status INTEGER NOT NULL, next_retry_at INTEGER, created_at INTEGER NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX ix_crmsync_lead_sources_tenant ON crmsync_lead_sources (tenant_id, created_at);
        CREATE INDEX ix_crmsync_lead_sources_retry ON crmsync_lead_sources (status, next_retry_at);
        """,
        """
        ALTER TABLE crmsync_inbox ADD COLUMN upserts INTEGER NOT NULL DEFAULT 0;
        """,
        """
        ALTER TABLE crmsync_connections ADD COLUMN lease_incarnation TEXT;
        ALTER TABLE crmsync_connections ADD COLUMN lease_token TEXT;
        ALTER TABLE crmsync_outbox ADD COLUMN claim_token TEXT;
        ALTER TABLE crmsync_runs ADD COLUMN lease_token TEXT;
        ALTER TABLE crmsync_runs ADD COLUMN running INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_crmsync_runs_running ON crmsync_runs (connection_id) WHERE running = 1;
        """,
        """
        ALTER TABLE crmsync_alerts ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE crmsync_alerts ADD COLUMN closed_at INTEGER;
        ALTER TABLE crmsync_alerts ADD COLUMN acknowledged_by TEXT;
        ALTER TABLE crmsync_alerts ADD COLUMN recipients TEXT;
        UPDATE crmsync_alerts SET state = 2 WHERE acknowledged = 1;
        CREATE INDEX ix_crmsync_alerts_open ON crmsync_alerts (tenant_id, state, connection_id);
        """,
        """
        CREATE TABLE crmsync_timeline (
            id INTEGER PRIMARY KEY AUTOINCREMENT, tenant_id TEXT NOT NULL, record_id TEXT NOT NULL, at INTEGER NOT NULL, stage INTEGER NOT NULL,
            provider TEXT, connection_id TEXT, crm_record_id TEXT, reason TEXT);
        CREATE INDEX ix_crmsync_timeline_record ON crmsync_timeline (tenant_id, record_id, id);
        """,
        """
        ALTER TABLE crmsync_outbox ADD COLUMN held_until INTEGER;
        """,
    ];

    /// <summary>Gets the schema version this code expects.</summary>
    public static int LatestVersion => Migrations.Length;

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS crmsync_schema (version INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < Migrations.Length; i++)
        {
            await using var tx = connection.BeginTransaction(deferred: false);
            long version;
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM crmsync_schema";
                version = (long)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
            }

            if (version > Migrations.Length)
            {
                throw new InvalidOperationException($"The CrmSync database is at schema version {version}, newer than this CrmSync ({Migrations.Length}). Upgrade the CrmSync packages.");
            }

            if (version <= i)
            {
                await using var migrate = connection.CreateCommand();
                migrate.Transaction = tx;
                migrate.CommandText = Migrations[i] + $"; INSERT INTO crmsync_schema (version) VALUES ({i + 1});";
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
