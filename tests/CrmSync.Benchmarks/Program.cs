// Scenario runner: `dotnet run -c Release --project tests/CrmSync.Benchmarks -- <scenario> [records]`.
// Every static class named *Scenario with `Task<string> RunAsync(int records, CancellationToken ct)` is a scenario.
using System.Reflection;
using CrmSync.Benchmarks.Scenarios;

// The crash scenario starts this executable again as its CRM simulator and its worker processes.
if (args is ["--crash-simulator"])
{
    return await CrashScenario.SimulatorAsync();
}

if (args is ["--crash-worker", var directory, var store, var database, var simulatorUrl, var instanceId])
{
    return await CrashScenario.WorkerAsync(directory, store, database, new Uri(simulatorUrl), instanceId);
}

var scenarios = typeof(Program).Assembly.GetTypes()
    .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Scenario", StringComparison.Ordinal))
    .Select(t => (Name: t.Name[..^"Scenario".Length].ToLowerInvariant(), Run: t.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)))
    .Where(s => s.Run is not null)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || scenarios.All(s => s.Name != args[0].ToLowerInvariant()))
{
    Console.WriteLine("Usage: dotnet run -c Release --project tests/CrmSync.Benchmarks -- <scenario> [records]");
    Console.WriteLine("Scenarios: " + string.Join(", ", scenarios.Select(s => s.Name)));
    return args.Length == 0 ? 0 : 1;
}

var scenario = scenarios.Single(s => s.Name == args[0].ToLowerInvariant());
var records = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var report = await (Task<string>)scenario.Run!.Invoke(null, [records, CancellationToken.None])!;
Console.WriteLine(report);
return 0;
