using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Shared;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Shared;

/// <summary>The shared helpers other rules build on: what a wait looks like, and which code runs inside Task.Run.</summary>
public sealed class TaskWaitsAndOffloadDelegatesTests
{
    private const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task<int> t, ValueTask<int> v, Task[] all, CancellationToken ct)
            {
                _ = t.Result;
                t.Wait(1000, ct);
                _ = t.ConfigureAwait(false).GetAwaiter().GetResult();
                _ = v.GetAwaiter().GetResult();
                Task.WaitAll(all, ct);
                _ = Task.WaitAny(t, Task.Delay(1));
                await Task.Run(() => { _ = t.Result; Action a = () => t.Wait(); });
                await Task.Factory.StartNew(delegate { t.Wait(); });
                await Task.Run(Work);
            }

            static void Work() { }
        }
        """;

    private static async Task<(IReadOnlyList<IOperation> Operations, TaskWaits Waits)> LoadAsync()
    {
        var compilation = await CompilationFactory.CreateAsync(new[] { Source });
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First();
        var body = model.GetOperation(method)!;
        return (body.DescendantsAndSelf().ToList(), TaskWaits.Create(compilation)!);
    }

    [Fact]
    public async Task TryGetWait_DescribesEachKind()
    {
        var (operations, waits) = await LoadAsync();
        var found = operations.Select(o => waits.TryGetWait(o)).Where(w => w is not null).Select(w => w!).ToList();

        Assert.Equal(
            new[]
            {
                TaskWaitKind.Result, TaskWaitKind.Wait, TaskWaitKind.GetAwaiterGetResult, TaskWaitKind.GetAwaiterGetResult,
                TaskWaitKind.WaitAll, TaskWaitKind.WaitAny, TaskWaitKind.Result, TaskWaitKind.Wait, TaskWaitKind.Wait,
            },
            found.Select(w => w.Kind).ToArray());

        var timed = found[1];
        Assert.Equal("millisecondsTimeout", timed.Timeout?.Parameter?.Name);
        Assert.Equal("cancellationToken", timed.CancellationToken?.Parameter?.Name);

        var configured = found[2];
        Assert.True(configured.ConfigureAwaitFalse);
        Assert.Equal("t", configured.Task?.Syntax.ToString());
        Assert.Equal("t.ConfigureAwait(false)", configured.Awaitable?.Syntax.ToString());
        Assert.False(configured.IsValueTask);

        Assert.True(found[3].IsValueTask);
        Assert.Null(found[4].Timeout);
        Assert.NotNull(found[4].CancellationToken);
        Assert.Equal(new[] { "t", "Task.Delay(1)" }, found[5].GetTaskOperands().Select(o => o.Syntax.ToString()).ToArray());
    }

    [Fact]
    public async Task IsInsideOffloadDelegate_TrueOnlyInsideTaskRunAndStartNewLambdas()
    {
        var (operations, waits) = await LoadAsync();
        var found = operations.Select(o => waits.TryGetWait(o)).Where(w => w is not null).Select(w => w!.Operation).ToList();

        Assert.Equal(
            new[] { false, false, false, false, false, false, true, true, true },
            found.Select(OffloadDelegates.IsInsideOffloadDelegate).ToArray());
    }

    [Fact]
    public async Task OffloadInvocationAndDelegate_FindEachOther()
    {
        var (operations, _) = await LoadAsync();
        var offloads = operations.OfType<IInvocationOperation>().Where(i => OffloadDelegates.IsOffloadMethod(i.TargetMethod)).ToList();

        Assert.Equal(3, offloads.Count);
        var run = OffloadDelegates.GetOffloadDelegate(offloads[0]);
        var startNew = OffloadDelegates.GetOffloadDelegate(offloads[1]);
        Assert.NotNull(run);
        Assert.NotNull(startNew);
        Assert.Null(OffloadDelegates.GetOffloadDelegate(offloads[2]));
        Assert.Same(offloads[0], OffloadDelegates.GetOffloadInvocation(run!));
        Assert.Same(offloads[1], OffloadDelegates.GetOffloadInvocation(startNew!));

        var nested = operations.OfType<IAnonymousFunctionOperation>().Single(f => f.Syntax.ToString() == "() => t.Wait()");
        Assert.Null(OffloadDelegates.GetOffloadInvocation(nested));
    }
}
