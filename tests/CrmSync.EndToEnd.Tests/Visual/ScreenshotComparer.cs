namespace CrmSync.EndToEnd.Tests.Visual;

/// <summary>The result of comparing a screenshot with its baseline.</summary>
/// <param name="DifferentPixels">Pixels whose colour differs by more than the channel threshold.</param>
/// <param name="TotalPixels">Pixels compared.</param>
/// <param name="Diff">The baseline greyed out with differing pixels in red, or <see langword="null"/> when sizes differ.</param>
/// <param name="SizeMismatch">A description of a size difference, or <see langword="null"/>.</param>
public sealed record ScreenshotDiff(long DifferentPixels, long TotalPixels, PngImage? Diff, string? SizeMismatch)
{
    public double Ratio => TotalPixels == 0 ? 1 : (double)DifferentPixels / TotalPixels;
}

/// <summary>
/// Compares screenshots pixel by pixel: a pixel differs when any channel moves by more than <see cref="ChannelThreshold"/>
/// (anti-aliasing noise stays under it); a screenshot matches when at most <see cref="MaxDifferentRatio"/> of its pixels differ.
/// </summary>
public static class ScreenshotComparer
{
    /// <summary>The largest per-channel change (0-255) still counted as the same pixel.</summary>
    public const int ChannelThreshold = 24;

    /// <summary>The share of pixels allowed to differ (0.1 %).</summary>
    public const double MaxDifferentRatio = 0.001;

    public static ScreenshotDiff Compare(PngImage baseline, PngImage actual)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(actual);
        if (baseline.Width != actual.Width || baseline.Height != actual.Height)
        {
            return new ScreenshotDiff(
                (long)Math.Max(baseline.Width, actual.Width) * Math.Max(baseline.Height, actual.Height),
                (long)baseline.Width * baseline.Height,
                null,
                $"size {actual.Width}×{actual.Height}, baseline {baseline.Width}×{baseline.Height}");
        }

        var diff = new byte[baseline.Rgba.Length];
        long different = 0;
        for (var i = 0; i < baseline.Rgba.Length; i += 4)
        {
            var changed = false;
            for (var c = 0; c < 4; c++)
            {
                if (Math.Abs(baseline.Rgba[i + c] - actual.Rgba[i + c]) > ChannelThreshold)
                {
                    changed = true;
                    break;
                }
            }

            if (changed)
            {
                different++;
                (diff[i], diff[i + 1], diff[i + 2], diff[i + 3]) = ((byte)255, (byte)0, (byte)0, (byte)255);
            }
            else
            {
                var grey = (byte)(((baseline.Rgba[i] * 3) + (baseline.Rgba[i + 1] * 6) + baseline.Rgba[i + 2]) / 10 / 4 + 191);
                (diff[i], diff[i + 1], diff[i + 2], diff[i + 3]) = (grey, grey, grey, (byte)255);
            }
        }

        return new ScreenshotDiff(different, (long)baseline.Width * baseline.Height, new PngImage(baseline.Width, baseline.Height, diff), null);
    }
}
