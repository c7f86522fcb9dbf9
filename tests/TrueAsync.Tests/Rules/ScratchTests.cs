using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using TrueAsync.Analyzers.Rules;
using TrueAsync.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace TrueAsync.Tests.Rules;

public sealed class ScratchTests
{
    private readonly ITestOutputHelper output;
    public ScratchTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public async Task Dump()
    {
        var source = System.IO.File.ReadAllText("/tmp/scratch/input.cs");
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)) output.WriteLine("ERR " + d);
        var diagnostics = await CompilationFactory.RunAnalyzersAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new TaskRunWrapperAnalyzer()));
        foreach (var d in diagnostics)
        {
            output.WriteLine(d.ToString());
            foreach (var p in d.Properties.OrderBy(p => p.Key)) output.WriteLine("   " + p.Key + " = " + p.Value);
            foreach (var l in d.AdditionalLocations) output.WriteLine("   @ " + l.SourceTree!.GetText().ToString(l.SourceSpan));
        }
    }
}
