namespace CrmSync.Providers.Reapit.Simulator;

/// <summary>Options of a <see cref="ReapitSimulator"/>. Defaults follow Reapit's published limits.</summary>
public sealed class ReapitSimulatorOptions
{
    /// <summary>Gets or sets the Reapit Connect client id the simulator accepts. Defaults to <c>sim-client</c>.</summary>
    public string ClientId { get; set; } = "sim-client";

    /// <summary>Gets or sets the Reapit Connect client secret the simulator accepts. Defaults to <c>sim-secret</c>.</summary>
    public string ClientSecret { get; set; } = "sim-secret";

    /// <summary>Gets or sets the customers that installed the app (values of <c>reapit-customer</c>). Defaults to <c>SBOX</c>, the sandbox.</summary>
    public IReadOnlyList<string> Customers { get; set; } = ["SBOX"];

    /// <summary>Gets or sets the requests allowed per second per app. Defaults to 20.</summary>
    public int RequestsPerSecond { get; set; } = 20;

    /// <summary>Gets or sets the requests one customer may have in flight. Defaults to 5.</summary>
    public int ConcurrentRequestsPerCustomer { get; set; } = 5;

    /// <summary>Gets or sets the requests allowed per UTC day per app. Defaults to 250,000.</summary>
    public int RequestsPerDay { get; set; } = 250_000;

    /// <summary>Gets or sets how long access tokens live. Defaults to 3600 seconds.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the clock (tokens, limits, created/modified stamps). Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
