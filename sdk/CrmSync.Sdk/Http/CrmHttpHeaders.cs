using System.Globalization;
using System.Net.Http.Headers;

namespace CrmSync.Sdk.Http;

/// <summary>Reads the headers CRMs use to signal limits: <c>Retry-After</c> and numeric limit headers.</summary>
public static class CrmHttpHeaders
{
    /// <summary>Reads <c>Retry-After</c> as a wait: delta seconds, or an HTTP date relative to <paramref name="now"/>.</summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    /// <returns>The wait (never negative), or <see langword="null"/> when the header is missing or unreadable.</returns>
    public static TimeSpan? GetRetryAfter(HttpResponseHeaders? headers, DateTimeOffset now)
    {
        if (headers?.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return ParseRetryAfter(GetValue(headers, "Retry-After"), now);
    }

    /// <summary>Parses a <c>Retry-After</c> value: whole or fractional seconds, or an HTTP date.</summary>
    /// <param name="value">The header value.</param>
    /// <param name="now">The current time, for HTTP dates.</param>
    /// <returns>The wait (never negative), or <see langword="null"/> when <paramref name="value"/> is empty or unreadable.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds <= 0 || double.IsNaN(seconds) ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(7).TotalSeconds));
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Reads the first value of a header, case-insensitively.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="name">The header name.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public static string? GetValue(HttpHeaders? headers, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return headers is not null && headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>Reads a header as a non-negative integer.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="name">The header name.</param>
    /// <returns>The value, or <see langword="null"/> when missing or not a number.</returns>
    public static int? GetInt32(HttpHeaders? headers, string name) =>
        int.TryParse(GetValue(headers, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : null;
}
