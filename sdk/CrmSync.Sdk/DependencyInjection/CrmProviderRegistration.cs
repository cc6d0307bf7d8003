using System.Text.Json;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The one way a CRM provider package registers itself: validated options derived from <see cref="CrmProviderOptions"/>,
/// a per-connection <see cref="CrmRequestBudget"/> (keyed by provider name), HTTP clients from <see cref="IHttpClientFactory"/>
/// with the standard resilience handler and the budget inside it, and the provider (with its OAuth flow when it has one).
/// </summary>
public static class CrmProviderRegistration
{
    /// <summary>
    /// Registers a provider. Calling it again for the same provider only adds configuration.
    /// </summary>
    /// <typeparam name="TProvider">The provider type.</typeparam>
    /// <typeparam name="TOptions">The provider's options.</typeparam>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="providerName">The provider name stored on connections (for example <c>hubspot</c>); keys the request budget.</param>
    /// <param name="displayName">The CRM name users see.</param>
    /// <param name="configure">Configures the options; <see langword="null"/> keeps the defaults.</param>
    /// <param name="register">Registers the provider's HTTP clients and any services of its own; runs once.</param>
    /// <param name="create">Creates the provider (a singleton).</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddCrmProvider<TProvider, TOptions>(
        this ICrmSyncBuilder builder,
        string providerName,
        string displayName,
        Action<TOptions>? configure,
        Action<CrmProviderHttpBuilder<TOptions>> register,
        Func<IServiceProvider, TProvider> create)
        where TProvider : class, ICrmProvider
        where TOptions : CrmProviderOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(create);
        var services = builder.Services;
        var options = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(TProvider)))
        {
            return builder;
        }

        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddKeyedSingleton(providerName, (sp, _) => new CrmRequestBudget(
            providerName, displayName, sp.GetRequiredService<IOptions<TOptions>>().Value.RequestBudget, sp.GetRequiredService<TimeProvider>()));
        register(new CrmProviderHttpBuilder<TOptions>(services, providerName));
        services.AddSingleton(create);
        return builder.AddProvider<TProvider>();
    }

    /// <summary>Gets the request budget of a provider registered with <see cref="AddCrmProvider{TProvider, TOptions}"/>.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="providerName">The provider name.</param>
    /// <returns>The budget shared by the provider and its HTTP handler.</returns>
    public static CrmRequestBudget GetCrmRequestBudget(this IServiceProvider services, string providerName) =>
        services.GetRequiredKeyedService<CrmRequestBudget>(providerName);

    /// <summary>
    /// Replaces the default request logging of an <see cref="IHttpClientFactory"/> client with CrmSync's header-free logger:
    /// one Debug record per request (category <c>CrmSync.Http</c>, event 9110 answered, 9111 failed) with the provider, method,
    /// path, status and time. The default logger hands raw header values (bearer tokens, API-key headers) to structured
    /// sinks at Trace level and puts the URL in its scope; this one logs no header and no query. Every provider client,
    /// OAuth token clients included, uses it (<see cref="CrmProviderHttpBuilder{TOptions}.AddHttpClient"/> does so).
    /// </summary>
    /// <param name="client">The client builder.</param>
    /// <param name="providerName">The provider name logged with each request.</param>
    /// <returns>The value of <paramref name="client"/>.</returns>
    public static IHttpClientBuilder UseHeaderFreeLogging(this IHttpClientBuilder client, string providerName)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        return client
            .RemoveAllLoggers()
            .AddLogger(sp => new HeaderFreeHttpLogger(sp.GetRequiredService<ILoggerFactory>().CreateLogger(HeaderFreeHttpLogger.Category), providerName));
    }

    /// <summary>
    /// Applies CrmSync's transport rules to a standard resilience pipeline: retry (a few times, with jitter) only dropped
    /// connections, timeouts and transient statuses (408, 5xx, 52x) of requests that are safe to repeat; never a 429 or a
    /// 403 limit answer, which carry the engine's pause signal; circuit breaking on the same faults.
    /// </summary>
    /// <param name="resilience">The pipeline options.</param>
    /// <param name="options">The provider's options.</param>
    /// <param name="isIdempotent">Whether a request may be sent again after its answer was lost; <see langword="null"/> uses <see cref="IsIdempotentByMethod"/>.</param>
    public static void ConfigureTransportRules(HttpStandardResilienceOptions resilience, CrmProviderOptions options, Func<HttpRequestMessage, bool>? isIdempotent = null)
    {
        ArgumentNullException.ThrowIfNull(resilience);
        ArgumentNullException.ThrowIfNull(options);
        var idempotent = isIdempotent ?? IsIdempotentByMethod;
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxTransportRetries);
        resilience.Retry.Delay = options.TransportRetryDelay;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
            options.MaxTransportRetries > 0
            && IsTransient(args.Outcome)
            && args.Context.GetRequestMessage() is { } request
            && (IsIdempotentByMethod(request) || idempotent(request)));
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, (options.AttemptTimeout.TotalSeconds * 2) + 1));
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = options.TotalRequestTimeout;
    }

    /// <summary>Returns whether a request is safe to send again by its method: GET, HEAD, OPTIONS, PUT, PATCH and DELETE set state rather than add it.</summary>
    /// <param name="request">The request.</param>
    /// <returns><see langword="true"/> for those methods; POST needs the provider's word (an upsert by external id, a search).</returns>
    public static bool IsIdempotentByMethod(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method;
        return method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Put || method == HttpMethod.Patch || method == HttpMethod.Delete
            || (request.Options.TryGetValue(CrmHttpRequestOptions.Idempotent, out var flagged) && flagged);
    }

    /// <summary>Returns whether an outcome is a transport fault that waiting a moment may fix.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns><see langword="true"/> for dropped connections, timeouts and transient statuses other than 429.</returns>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : outcome.Result is { } response && CrmHttpFailures.IsTransientStatus((int)response.StatusCode);
}

/// <summary>Registers the HTTP clients of one provider, all with the same shape (see <see cref="CrmProviderRegistration"/>).</summary>
/// <typeparam name="TOptions">The provider's options.</typeparam>
public sealed class CrmProviderHttpBuilder<TOptions>
    where TOptions : CrmProviderOptions
{
    internal CrmProviderHttpBuilder(IServiceCollection services, string providerName)
    {
        Services = services;
        ProviderName = providerName;
    }

    /// <summary>Gets the service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the provider name (the key of its request budget).</summary>
    public string ProviderName { get; }

    /// <summary>
    /// Adds a named HTTP client: base address from the options (per-connection addresses through
    /// <see cref="CrmBaseAddressHandler"/>), header-free request logging (<see cref="CrmProviderRegistration.UseHeaderFreeLogging"/>:
    /// no token or API key reaches a log sink), the standard resilience handler with CrmSync's transport rules and one pipeline
    /// per host, and the provider's request budget inside it so that every attempt counts.
    /// </summary>
    /// <param name="name">The client name (for example <c>CrmSync.HubSpot</c>).</param>
    /// <param name="baseAddress">Reads the default base address from the options.</param>
    /// <param name="readLimits">Reads the CRM's limit headers into the budget; <see langword="null"/> when it sends none.</param>
    /// <param name="isIdempotent">Marks POSTs that are safe to resend (upserts by external id, searches).</param>
    /// <param name="budget">Gets the budget requests count against; <see langword="null"/> uses the provider's keyed budget.</param>
    /// <returns>The client builder, for handlers of the provider's own.</returns>
    public IHttpClientBuilder AddHttpClient(
        string name,
        Func<TOptions, Uri> baseAddress,
        Func<HttpResponseMessage, CrmRateLimitSnapshot?>? readLimits = null,
        Func<HttpRequestMessage, bool>? isIdempotent = null,
        Func<IServiceProvider, CrmRequestBudget>? budget = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var providerName = ProviderName;
        var client = Services.AddHttpClient(name)
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = CrmBaseAddressHandler.ClientBaseAddress(baseAddress(sp.GetRequiredService<IOptions<TOptions>>().Value));
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .UseHeaderFreeLogging(providerName)
            .AddHttpMessageHandler(() => new CrmBaseAddressHandler());
        client.AddStandardResilienceHandler()
            .Configure((resilience, sp) => CrmProviderRegistration.ConfigureTransportRules(resilience, sp.GetRequiredService<IOptions<TOptions>>().Value, isIdempotent))
            .SelectPipelineByAuthority();
        client.AddHttpMessageHandler(sp => new CrmRequestBudgetHandler(budget?.Invoke(sp) ?? sp.GetCrmRequestBudget(providerName), readLimits));
        return client;
    }

    /// <summary>
    /// Adds a named HTTP client (see <see cref="AddHttpClient"/>) and a factory of the source-generated Refit client
    /// <typeparamref name="TApi"/> over it. Providers take <see cref="CrmApiClientFactory{TApi}"/> and create a client per call,
    /// so every call gets a handler chain from <see cref="IHttpClientFactory"/> (no client captured in a singleton).
    /// </summary>
    /// <typeparam name="TApi">The Refit interface.</typeparam>
    /// <param name="name">The client name.</param>
    /// <param name="json">The JSON options of the CRM's wire format.</param>
    /// <param name="baseAddress">Reads the default base address from the options.</param>
    /// <param name="readLimits">Reads the CRM's limit headers into the budget.</param>
    /// <param name="isIdempotent">Marks POSTs that are safe to resend.</param>
    /// <param name="budget">Gets the budget requests count against; <see langword="null"/> uses the provider's keyed budget.</param>
    /// <returns>The client builder, for handlers of the provider's own.</returns>
    public IHttpClientBuilder AddRefitClient<TApi>(
        string name,
        JsonSerializerOptions json,
        Func<TOptions, Uri> baseAddress,
        Func<HttpResponseMessage, CrmRateLimitSnapshot?>? readLimits = null,
        Func<HttpRequestMessage, bool>? isIdempotent = null,
        Func<IServiceProvider, CrmRequestBudget>? budget = null)
        where TApi : class
    {
        ArgumentNullException.ThrowIfNull(json);
        var client = AddHttpClient(name, baseAddress, readLimits, isIdempotent, budget);
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(json));
        Services.AddSingleton(sp => new CrmApiClientFactory<TApi>(sp.GetRequiredService<IHttpClientFactory>(), name, settings));
        return client;
    }
}
