namespace CrmSync.Widgets;

/// <summary>
/// The marker type of the widgets' strings: resolve <c>IStringLocalizer&lt;CrmSyncStrings&gt;</c> to read or override them.
/// The default English text is in <c>Resources/CrmSyncStrings.resx</c>; add <c>CrmSyncStrings.{culture}.resx</c> satellite
/// resources, or register your own <c>IStringLocalizer&lt;CrmSyncStrings&gt;</c>, to translate or reword them.
/// </summary>
public sealed class CrmSyncStrings
{
    private CrmSyncStrings()
    {
    }
}
