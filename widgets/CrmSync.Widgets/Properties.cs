using Microsoft.Extensions.Localization;

// The default English strings live in Resources/CrmSyncStrings.resx whatever ResourcesPath the host configures.
[assembly: ResourceLocation("Resources")]
[assembly: RootNamespace("CrmSync.Widgets")]
