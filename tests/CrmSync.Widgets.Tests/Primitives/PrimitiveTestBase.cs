using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Widgets.Tests.Primitives;

/// <summary>A bUnit context with only the widget kit's own services (no SDK): primitives need nothing else. JSInterop stays strict.</summary>
public abstract class PrimitiveTestBase : BunitContext
{
    protected PrimitiveTestBase()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 16, 0, 0, TimeSpan.Zero));
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddCrmSyncWidgets(Configure);
    }

    protected FakeTimeProvider Time { get; }

    protected virtual void Configure(CrmSyncWidgetOptions options)
    {
    }
}
