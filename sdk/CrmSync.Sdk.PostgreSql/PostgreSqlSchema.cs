using Npgsql;

namespace CrmSync.Sdk.PostgreSql;

/// <summary>Numbered migrations, applied once each under an advisory lock so several instances can start together.</summary>
internal static class PostgreSqlSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE {s}.connections (
            id uuid PRIMARY KEY, tenant_id text NOT NULL, provider text NOT NULL, account_label text, datacenter text,
            credentials text, settings text NOT NULL, state text NOT NULL, created_at bigint NOT NULL,
            schedulable boolean NOT NULL, next_sync_at bigint, last_outage_at bigint, lease_owner text, lease_until bigint);
        CREATE INDEX ix_connections_tenant ON {s}.connections (tenant_id, created_at);
        CREATE INDEX ix_connections_due ON {s}.connections (next_sync_at) WHERE schedulable;
        CREATE TABLE {s}.outbox (
            id bigserial PRIMARY KEY, tenant_id text NOT NULL, connection_id uuid NOT NULL, object_type int NOT NULL,
            priority int NOT NULL, external_id text NOT NULL, contact_external_id text, idempotency_key text NOT NULL,
            fields text NOT NULL, origin int NOT NULL, enqueued_at bigint NOT NULL, state int NOT NULL,
            attempts int NOT NULL DEFAULT 0, processed_at bigint, crm_record_id text, problem_type text, error text,
            UNIQUE (connection_id, idempotency_key));
        CREATE INDEX ix_outbox_pending ON {s}.outbox (connection_id, priority, id) WHERE state = 0;
        CREATE INDEX ix_outbox_processed ON {s}.outbox (connection_id, processed_at);
        CREATE TABLE {s}.records (
            connection_id uuid NOT NULL, object_type int NOT NULL, external_id text NOT NULL, crm_record_id text NOT NULL,
            updated_at bigint NOT NULL, PRIMARY KEY (connection_id, object_type, external_id));
        CREATE TABLE {s}.runs (
            id bigserial PRIMARY KEY, tenant_id text NOT NULL, connection_id uuid NOT NULL, started_at bigint NOT NULL,
            finished_at bigint NOT NULL, outcome int NOT NULL, synced int NOT NULL, skipped int NOT NULL, failed int NOT NULL, error text);
        CREATE INDEX ix_runs_connection ON {s}.runs (connection_id, id);
        CREATE TABLE {s}.log (
            id bigserial PRIMARY KEY, tenant_id text NOT NULL, connection_id uuid NOT NULL, at bigint NOT NULL,
            event_type text NOT NULL, records int NOT NULL, outcome int NOT NULL, crm_record_id text, error text);
        CREATE INDEX ix_log_connection ON {s}.log (connection_id, id);
        CREATE TABLE {s}.alerts (
            id uuid PRIMARY KEY, tenant_id text NOT NULL, connection_id uuid NOT NULL, provider text NOT NULL, crm_name text NOT NULL,
            kind int NOT NULL, failures int NOT NULL, message text NOT NULL, link text, raised_at bigint NOT NULL, acknowledged boolean NOT NULL);
        CREATE INDEX ix_alerts_tenant ON {s}.alerts (tenant_id, raised_at);
        CREATE TABLE {s}.kv (scope text NOT NULL, key text NOT NULL, value text NOT NULL, expires_at bigint, PRIMARY KEY (scope, key));
        """,
        """
        CREATE TABLE {s}.import_runs (
            id uuid PRIMARY KEY, tenant_id text NOT NULL, connection_id uuid NOT NULL, scope_key text NOT NULL, status int NOT NULL,
            started_at bigint NOT NULL, resume_at bigint, high_water bigint, data text NOT NULL);
        CREATE INDEX ix_import_runs_connection ON {s}.import_runs (tenant_id, connection_id, started_at);
        CREATE INDEX ix_import_runs_scope ON {s}.import_runs (connection_id, scope_key, status);
        CREATE INDEX ix_import_runs_due ON {s}.import_runs (status, resume_at);
        CREATE TABLE {s}.inbox (
            id bigserial PRIMARY KEY, tenant_id text NOT NULL, connection_id uuid NOT NULL, object_type int NOT NULL,
            crm_id text NOT NULL, modified_at bigint NOT NULL, state int NOT NULL, record text NOT NULL, first_seen_at bigint NOT NULL,
            fetched_at bigint NOT NULL, run_id uuid, decided_at bigint, decided_by text, delivered_at bigint,
            delivered_before boolean NOT NULL DEFAULT FALSE,
            UNIQUE (connection_id, object_type, crm_id));
        CREATE INDEX ix_inbox_tenant_state ON {s}.inbox (tenant_id, state, id);
        CREATE INDEX ix_inbox_undelivered ON {s}.inbox (tenant_id, id) WHERE state = 1 AND delivered_at IS NULL;
        CREATE TABLE {s}.lead_sources (
            id uuid PRIMARY KEY, tenant_id text NOT NULL, status int NOT NULL, next_retry_at bigint, created_at bigint NOT NULL,
            data text NOT NULL);
        CREATE INDEX ix_lead_sources_tenant ON {s}.lead_sources (tenant_id, created_at);
        CREATE INDEX ix_lead_sources_retry ON {s}.lead_sources (status, next_retry_at);
        """,
        """
        ALTER TABLE {s}.inbox ADD COLUMN upserts int NOT NULL DEFAULT 0;
        """,
        """
        ALTER TABLE {s}.connections ADD COLUMN lease_incarnation text, ADD COLUMN lease_token text;
        ALTER TABLE {s}.outbox ADD COLUMN claim_token text;
        ALTER TABLE {s}.runs ADD COLUMN lease_token text, ADD COLUMN running boolean NOT NULL DEFAULT FALSE;
        CREATE INDEX ix_runs_running ON {s}.runs (connection_id) WHERE running;
        """,
        """
        ALTER TABLE {s}.alerts ADD COLUMN state int NOT NULL DEFAULT 0, ADD COLUMN closed_at bigint, ADD COLUMN acknowledged_by text, ADD COLUMN recipients text;
        UPDATE {s}.alerts SET state = 2 WHERE acknowledged;
        CREATE INDEX ix_alerts_open ON {s}.alerts (tenant_id, state, connection_id);
        """,
        """
        CREATE TABLE {s}.timeline (
            id bigserial PRIMARY KEY, tenant_id text NOT NULL, record_id text NOT NULL, at bigint NOT NULL, stage int NOT NULL,
            provider text, connection_id uuid, crm_record_id text, reason text);
        CREATE INDEX ix_timeline_record ON {s}.timeline (tenant_id, record_id, id);
        """,
        """
        ALTER TABLE {s}.outbox ADD COLUMN held_until bigint;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var init = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock(hashtext('crmsync-migrate-{schema}'));
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_version (version int NOT NULL);
            """, db, tx))
        {
            await init.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version;
        await using (var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_version", db, tx))
        {
            version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (version > Migrations.Length)
        {
            throw new InvalidOperationException($"The CrmSync database is at schema version {version}, newer than this CrmSync ({Migrations.Length}). Upgrade the CrmSync packages.");
        }

        for (var i = version; i < Migrations.Length; i++)
        {
            await using var migrate = new NpgsqlCommand(Migrations[i].Replace("{s}", schema, StringComparison.Ordinal) + $"; INSERT INTO {schema}.schema_version (version) VALUES ({i + 1});", db, tx);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
