using CrmSync.Sdk;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>Alerts go to the organisation owner, as note 001 says.</summary>
public sealed class DemoAlertRecipients : ICrmSyncAlertRecipients
{
    /// <inheritdoc />
    public Task<IReadOnlyList<CrmSyncAlertRecipient>> GetRecipientsAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var owner = DemoUsers.All.First(u => u.Role == "owner");
        return Task.FromResult<IReadOnlyList<CrmSyncAlertRecipient>>([new CrmSyncAlertRecipient("owner", owner.Name, "owner@demo.example")]);
    }
}
