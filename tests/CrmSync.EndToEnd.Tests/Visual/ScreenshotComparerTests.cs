namespace CrmSync.EndToEnd.Tests.Visual;

public class ScreenshotComparerTests
{
    [Fact]
    public void EncodeDecode_RoundTrip_KeepsPixels()
    {
        // Arrange
        var image = Gradient(37, 11);

        // Act
        var decoded = PngImage.Decode(image.Encode());

        // Assert
        Assert.Equal(image.Width, decoded.Width);
        Assert.Equal(image.Height, decoded.Height);
        Assert.Equal(image.Rgba, decoded.Rgba);
    }

    [Fact]
    public void Compare_SameImage_NoDifference()
    {
        // Act
        var result = ScreenshotComparer.Compare(Gradient(20, 20), Gradient(20, 20));

        // Assert
        Assert.Equal(0, result.DifferentPixels);
        Assert.Null(result.SizeMismatch);
    }

    [Fact]
    public void Compare_NoiseUnderThreshold_Ignored()
    {
        // Arrange
        var actual = Gradient(20, 20);
        actual.Rgba[0] = (byte)(actual.Rgba[0] + ScreenshotComparer.ChannelThreshold);

        // Act
        var result = ScreenshotComparer.Compare(Gradient(20, 20), actual);

        // Assert
        Assert.Equal(0, result.DifferentPixels);
    }

    [Fact]
    public void Compare_ChangedPixels_CountedAndPaintedRed()
    {
        // Arrange
        var actual = Gradient(10, 10);
        actual.Rgba[4 * 13 + 1] = (byte)(actual.Rgba[4 * 13 + 1] ^ 0xFF);
        actual.Rgba[4 * 57 + 2] = (byte)(actual.Rgba[4 * 57 + 2] ^ 0xFF);

        // Act
        var result = ScreenshotComparer.Compare(Gradient(10, 10), actual);

        // Assert
        Assert.Equal(2, result.DifferentPixels);
        Assert.Equal(0.02, result.Ratio, 6);
        Assert.Equal(new byte[] { 255, 0, 0, 255 }, result.Diff!.Rgba.AsSpan(4 * 13, 4).ToArray());
    }

    [Fact]
    public void Compare_DifferentSize_ReportsMismatch()
    {
        // Act
        var result = ScreenshotComparer.Compare(Gradient(10, 10), Gradient(10, 12));

        // Assert
        Assert.Equal("size 10×12, baseline 10×10", result.SizeMismatch);
        Assert.Null(result.Diff);
    }

    [Fact]
    public void Decode_NotPng_Throws()
    {
        // Act
        var ex = Assert.Throws<InvalidDataException>(() => PngImage.Decode([1, 2, 3, 4, 5, 6, 7, 8, 9]));

        // Assert
        Assert.Contains("signature", ex.Message, StringComparison.Ordinal);
    }

    private static PngImage Gradient(int width, int height)
    {
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)(x * 6), (byte)(y * 9), (byte)((x + y) * 3), (byte)255);
            }
        }

        return new PngImage(width, height, rgba);
    }
}
