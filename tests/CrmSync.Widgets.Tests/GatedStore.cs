using System.Collections.Concurrent;
using System.Reflection;
using CrmSync.Sdk.Storage;

namespace CrmSync.Widgets.Tests;

/// <summary>The sync store and the import store in one, as the SQL stores are.</summary>
public interface IGatedStoreContract : ICrmSyncStore, ICrmImportStore
{
}

/// <summary>
/// A store that holds chosen calls until the test lets them through, so a widget can be seen while its SDK call runs (pending
/// button, aria-busy). Every other call goes straight to the real store.
/// </summary>
public class GatedStore : DispatchProxy
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private object _inner = default!;

    /// <summary>Wraps a store.</summary>
    /// <param name="inner">The real store.</param>
    /// <returns>The store to register and its gates.</returns>
    public static (IGatedStoreContract Store, GatedStore Gates) Wrap(ICrmSyncStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var store = Create<IGatedStoreContract, GatedStore>();
        var gates = (GatedStore)(object)store;
        gates._inner = inner;
        return (store, gates);
    }

    /// <summary>Holds every later call of <paramref name="method"/> until <see cref="Open"/>.</summary>
    /// <param name="method">The store method's name.</param>
    public void Close(string method) => _gates[method] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held and later calls of <paramref name="method"/> through.</summary>
    /// <param name="method">The store method's name.</param>
    public void Open(string method)
    {
        if (_gates.TryRemove(method, out var gate))
        {
            gate.TrySetResult();
        }
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        object? Call() => targetMethod.Invoke(_inner, args);
        if (!_gates.TryGetValue(targetMethod.Name, out var gate) || !typeof(Task).IsAssignableFrom(targetMethod.ReturnType))
        {
            return Call();
        }

        if (targetMethod.ReturnType == typeof(Task))
        {
            return AfterAsync(gate.Task, () => (Task)Call()!);
        }

        var result = targetMethod.ReturnType.GetGenericArguments()[0];
        return typeof(GatedStore).GetMethod(nameof(AfterOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(result)
            .Invoke(null, [gate.Task, (Func<object?>)Call]);
    }

    private static async Task AfterAsync(Task gate, Func<Task> call)
    {
        await gate;
        await call();
    }

    private static async Task<T> AfterOfAsync<T>(Task gate, Func<object?> call)
    {
        await gate;
        return await (Task<T>)call()!;
    }
}
