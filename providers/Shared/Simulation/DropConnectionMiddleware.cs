using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CrmSync.Simulation;

/// <summary>
/// Aborts the TCP connection, before any byte of the response is sent, when a handler marked its response as lost.
/// This is how the simulator produces "the write happened but the client never heard back".
/// </summary>
internal static class DropConnectionMiddleware
{
    public static void Register(object applicationBuilder)
    {
        if (applicationBuilder is not IApplicationBuilder app)
        {
            throw new InvalidOperationException("The simulator needs an ASP.NET Core host to drop connections.");
        }

        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.Headers.ContainsKey(SimulatorResponse.DropConnectionHeader))
                {
                    context.Abort();
                }

                return Task.CompletedTask;
            });

            await next(context).ConfigureAwait(false);
        });
    }
}
