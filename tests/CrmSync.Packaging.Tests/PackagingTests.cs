using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace CrmSync.Packaging.Tests;

public sealed class PackagingTests(PackagingTests.PackedSolution packed, ITestOutputHelper output) : IClassFixture<PackagingTests.PackedSolution>
{
    /// <summary>Every project under sdk/, providers/ and widgets/ ships as a package.</summary>
    private static IReadOnlyList<string> ShippedProjects { get; } = new[] { "sdk", "providers", "widgets" }
        .SelectMany(folder => Directory.GetDirectories(Path.Combine(PackedSolution.Root, folder)))
        .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
        .Select(Path.GetFileName)
        .Select(name => name!)
        .Order(StringComparer.Ordinal)
        .ToList();

    [Fact]
    public void Pack_EveryShippedProject_HasReadmeDescriptionLicenseAndRepository()
    {
        Assert.True(ShippedProjects.Count >= 12, $"expected every shipped project, found {string.Join(", ", ShippedProjects)}");
        foreach (var id in ShippedProjects)
        {
            // Act
            var nupkg = Directory.GetFiles(packed.Directory, $"{id}.{PackedSolution.Version}.nupkg").SingleOrDefault();

            // Assert
            Assert.True(nupkg is not null, $"{id} was not packed into {packed.Directory}");
            using var zip = ZipFile.OpenRead(nupkg);
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
            Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");
            using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id} has no description");
            Assert.Equal("MIT", Value("license"));
            Assert.Equal("README.md", Value("readme"));
            var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.False(string.IsNullOrEmpty(repository.Attribute("url")?.Value), $"{id} has no repository url (SourceLink)");
        }
    }

    [Fact]
    public async Task FreshHostProject_ReferencingPackedPackages_BuildsAndSyncs()
    {
        // Arrange
        var work = Path.Combine(Path.GetTempPath(), "crmsync-host-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="crmsync" value="{packed.Directory}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(work, "Host.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CrmSync.Sdk.Sqlite" Version="{PackedSolution.Version}" />
                <PackageReference Include="CrmSync.Sdk.Testing" Version="{PackedSolution.Version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(work, "Program.cs"), """
            using CrmSync.Sdk;
            using CrmSync.Sdk.Testing;
            using Microsoft.Extensions.DependencyInjection;

            var crm = new InMemoryCrmProvider();
            var services = new ServiceCollection();
            services.AddCrmSync(o => o.EnableScheduler = false).UseSqlite($"Data Source={Path.Combine(AppContext.BaseDirectory, "host.db")}").AddInMemoryProvider(crm);
            await using var sp = services.BuildServiceProvider();
            var sync = sp.GetRequiredService<CrmSyncClient>();
            var connection = await sync.ConnectAsync("t1", crm.Name, crm.IssueTokens());
            await sync.ChooseStartingPointAsync("t1", connection.Id, StartingPoint.Skip);
            await sync.EnqueueAsync("t1", new CrmChange(CrmObjectType.Contact, "c1", new Dictionary<string, string?> { ["email"] = "a@example.com" }));
            var run = await sync.SyncNowAsync("t1", connection.Id);
            Console.WriteLine($"synced {run.Synced}; CRM holds {crm.Records.Count}");
            """);
        // Directory.Build.props / Directory.Packages.props of the repository must not leak into the fresh host.
        await File.WriteAllTextAsync(Path.Combine(work, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(work, "Directory.Packages.props"), "<Project />");

        // Act
        var result = await PackedSolution.RunAsync("dotnet", ["run", "--project", Path.Combine(work, "Host.csproj")], work);
        output.WriteLine(result.Output);

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("synced 1; CRM holds 1", result.Output, StringComparison.Ordinal);
    }

    private static string ProjectFolder(string id) => id.StartsWith("CrmSync.Providers", StringComparison.Ordinal) ? "providers"
        : id.StartsWith("CrmSync.Widgets", StringComparison.Ordinal) ? "widgets" : "sdk";

    /// <summary>Packs the solution's shipped projects once (from the build the test run already did) with a unique version.</summary>
    public sealed class PackedSolution : IAsyncLifetime
    {
        public static readonly string Version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..8];

        public static string Root { get; } = FindRoot();

        public string Directory { get; } = Path.Combine(Path.GetTempPath(), "crmsync-packages-" + Guid.NewGuid().ToString("N"));

        public async Task InitializeAsync()
        {
            System.IO.Directory.CreateDirectory(Directory);
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            foreach (var id in ShippedProjects)
            {
                var project = Path.Combine(Root, ProjectFolder(id), id, $"{id}.csproj");
                var result = await RunAsync("dotnet", ["pack", project, "--no-build", "-c", configuration, "-o", Directory, $"-p:PackageVersion={Version}"], Root);
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"dotnet pack {id} failed:\n{result.Output}");
                }
            }
        }

        public Task DisposeAsync()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; harmless.
            }

            return Task.CompletedTask;
        }

        internal static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string workingDirectory)
        {
            var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }

        private static string FindRoot()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CrmSync.Sdk.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("CrmSync.Sdk.sln not found");
        }
    }
}
