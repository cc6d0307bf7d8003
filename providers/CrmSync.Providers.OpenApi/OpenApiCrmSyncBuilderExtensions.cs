using CrmSync.Providers.OpenApi;
using CrmSync.Providers.OpenApi.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CRMs described by OpenAPI profiles.</summary>
public static class OpenApiCrmSyncBuilderExtensions
{
    /// <summary>
    /// Adds a CRM from its OpenAPI profile: the provider runs the profile's operations on the Kiota request adapter over an
    /// <see cref="IHttpClientFactory"/> client with the standard resilience handler (reads retried on 5xx and transport
    /// failures, writes never retried blindly) and the per-connection request budget inside it. The profile is validated
    /// against its document on start; a problem stops the host with an error naming the profile entry.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="profile">The profile.</param>
    /// <param name="configure">Configures the options (app credentials, limits, base URLs for a simulator).</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddOpenApiCrm(this ICrmSyncBuilder builder, OpenApiProfile profile, Action<OpenApiCrmOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(profile);
        var services = builder.Services;
        var name = profile.Name;
        var options = services.AddOptions<OpenApiCrmOptions>(name).Configure(o => o.Profile ??= profile);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(OpenApiCrmProvider) && Equals(d.ServiceKey, name)))
        {
            // Registering twice only adds configuration.
            return builder;
        }

        options.ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenApiCrmOptions>>(new OpenApiCrmOptionsValidator(name));
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddKeyedSingleton(name, (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptionsMonitor<OpenApiCrmOptions>>().Get(name);
            var p = o.Profile ?? profile;
            var document = OpenApiProfiles.LoadDocument(p, o.DocumentPath);
            OpenApiProfileValidator.ThrowIfInvalid(p, document);
            return new OpenApiCrmProvider(p, document, o, sp.GetRequiredService<IHttpClientFactory>(), new CrmUnconfirmedWrites(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("CrmSync.Providers.OpenApi." + name));
        });

        // The default request logging hands raw header values (the API key, tokens) to structured sinks: the SDK's header-free logger replaces it.
        var api = services.AddHttpClient(OpenApiCrmProvider.HttpClientName(name))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .UseHeaderFreeLogging(name)
            .AddHttpMessageHandler(() => new ConnectionOptionHandler())
            .AddHttpMessageHandler(() => new ParametersNameDecodingHandler());
        api.AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptionsMonitor<OpenApiCrmOptions>>().Get(name)));
        api.AddHttpMessageHandler(sp => new CrmRequestBudgetHandler(sp.GetRequiredKeyedService<OpenApiCrmProvider>(name).RequestBudget, OpenApiCrmProvider.ReadLimits));

        services.AddHttpClient(OpenApiCrmProvider.OAuthClientName(name))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .UseHeaderFreeLogging(name)
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptionsMonitor<OpenApiCrmOptions>>().Get(name)));

        services.AddSingleton<ICrmProvider>(sp => sp.GetRequiredKeyedService<OpenApiCrmProvider>(name));
        if (profile.Auth.Kind == OpenApiAuthKind.AuthorizationCode)
        {
            services.AddSingleton<ICrmOAuthProvider>(sp => sp.GetRequiredKeyedService<OpenApiCrmProvider>(name));
        }

        return builder;
    }

    /// <summary>Adds Reapit Foundations (<see cref="OpenApiProfiles.Reapit"/>): set the Reapit Connect app's client id and secret; connections name their customer id.</summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder AddReapit(this ICrmSyncBuilder builder, Action<OpenApiCrmOptions>? configure = null) =>
        builder.AddOpenApiCrm(OpenApiProfiles.Reapit, configure);

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, OpenApiCrmOptions options)
    {
        resilience.AttemptTimeout.Timeout = options.RequestTimeout;
        resilience.TotalRequestTimeout.Timeout = options.RequestTimeout * (options.MaxRetryAttempts + 2);
        resilience.CircuitBreaker.SamplingDuration = options.RequestTimeout * 2 > TimeSpan.FromSeconds(30) ? options.RequestTimeout * 2 : TimeSpan.FromSeconds(30);

        // 429 is throttling: the provider pauses through the budget instead of retrying into it.
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts);
        resilience.Retry.Delay = options.RetryDelay;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && IsTransient(args.Outcome));

        // A POST whose answer was lost may have created a record: never resend it blindly.
        resilience.Retry.DisableForUnsafeHttpMethods();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null
            ? outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
            : outcome.Result is { } response && CrmHttpFailures.IsTransientStatus((int)response.StatusCode);
}

/// <summary>Validates the options of one profile on start, the profile against its document included.</summary>
internal sealed class OpenApiCrmOptionsValidator(string name) : IValidateOptions<OpenApiCrmOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, OpenApiCrmOptions options)
    {
        if (!string.Equals(optionsName, name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        if (options.Profile is not { } profile)
        {
            return ValidateOptionsResult.Fail($"The OpenAPI CRM '{name}' has no profile.");
        }

        var failures = OpenApiProfiles.Validate(profile, options.DocumentPath).Select(p => $"OpenAPI profile '{profile.Name}', entry '{p.Entry}': {p.Problem}").ToList();
        if (profile.Auth.Kind is OpenApiAuthKind.ClientCredentials or OpenApiAuthKind.AuthorizationCode && (string.IsNullOrWhiteSpace(options.ClientId) || string.IsNullOrWhiteSpace(options.ClientSecret)))
        {
            failures.Add($"{profile.DisplayName} signs in with OAuth ({profile.Auth.Kind}): set ClientId and ClientSecret of the host's app.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
