using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using TrueAsync.Tests.Infrastructure;

namespace TrueAsync.Tests.Robustness;

/// <summary>The analyzers and fixers under test: the shipped ones, found by <see cref="AnalyzerCatalog"/>.</summary>
public sealed class RulesUnderTest
{
    public RulesUnderTest(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers)
    {
        Analyzers = analyzers;
        Fixers = fixers;
        DiagnosticIds = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToImmutableHashSet(StringComparer.Ordinal);
    }

    public static RulesUnderTest Shipped() => new(AnalyzerCatalog.CreateAnalyzers(), AnalyzerCatalog.CreateFixers());

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public ImmutableArray<CodeFixProvider> Fixers { get; }

    /// <summary>The IDs the analyzers report: a "TrueAsync diagnostic" is one of these.</summary>
    public ImmutableHashSet<string> DiagnosticIds { get; }

    public IEnumerable<CodeFixProvider> FixersFor(string id) => Fixers.Where(f => f.FixableDiagnosticIds.Contains(id));
}
