using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using TrueAsync.Analyzers;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Meta;

/// <summary>The project's own conventions: every rule documented, tracked and linked; every fixer well formed.</summary>
public sealed class RuleCatalogTests
{
    private static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors = AnalyzerCatalog.CreateAnalyzers()
        .SelectMany(a => a.SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .Select(g => g.First())
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToArray();

    private static string OutputFile(params string[] parts) => Path.Combine(new[] { AppContext.BaseDirectory }.Concat(parts).ToArray());

    [Fact]
    public void EveryRuleIdentifierConstant_HasAnAnalyzer()
    {
        var constants = typeof(RuleIdentifiers).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name != nameof(RuleIdentifiers.HelpLinkBase))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        Assert.NotEmpty(constants);
        Assert.Equal(constants.Length, constants.Distinct(StringComparer.Ordinal).Count());
        Assert.All(constants, id => Assert.Contains(Descriptors, d => d.Id == id));
    }

    [Fact]
    public void EveryDescriptor_HasWellFormedIdAndHelpLink()
    {
        Assert.NotEmpty(Descriptors);
        Assert.All(Descriptors, d =>
        {
            Assert.Matches(new Regex("^TA[0-9]{4}$"), d.Id);
            Assert.Equal(RuleIdentifiers.GetHelpUri(d.Id), d.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString()));
            Assert.False(string.IsNullOrWhiteSpace(d.MessageFormat.ToString()));
            Assert.False(string.IsNullOrWhiteSpace(d.Category));
        });
    }

    [Fact]
    public void EveryDiagnosticId_BelongsToOneAnalyzer()
    {
        var owners = AnalyzerCatalog.CreateAnalyzers()
            .SelectMany(a => a.SupportedDiagnostics.Select(d => (d.Id, Analyzer: a.GetType().Name)))
            .Distinct()
            .GroupBy(x => x.Id);
        Assert.All(owners, g => Assert.Single(g));
    }

    [Fact]
    public void EveryRule_HasADocumentationPage()
    {
        Assert.All(Descriptors, d =>
        {
            var page = OutputFile("docs", "rules", d.Id + ".md");
            Assert.True(File.Exists(page), $"docs/rules/{d.Id}.md is missing");
            var text = File.ReadAllText(page);
            Assert.Contains("# " + d.Id, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EveryRule_IsTrackedInAnalyzerReleases()
    {
        var tracked = File.ReadAllLines(OutputFile("releases", "AnalyzerReleases.Shipped.md"))
            .Concat(File.ReadAllLines(OutputFile("releases", "AnalyzerReleases.Unshipped.md")))
            .Select(line => line.Split('|')[0].Trim())
            .Where(id => id.StartsWith("TA", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(Descriptors, d => Assert.Contains(d.Id, tracked));
    }

    [Fact]
    public void EveryFixer_IsSealedAndExportedUnderItsClassName()
    {
        Assert.NotEmpty(AnalyzerCatalog.FixerTypes);
        Assert.All(AnalyzerCatalog.FixerTypes, t =>
        {
            Assert.True(t.IsSealed, $"{t.Name} is not sealed");
            var export = t.GetCustomAttribute<ExportCodeFixProviderAttribute>()!;
            Assert.Equal(t.Name, export.Name);
            Assert.Contains(LanguageNames.CSharp, export.Languages);
            Assert.NotNull(t.GetCustomAttribute<System.Composition.SharedAttribute>());
        });
    }

    [Fact]
    public void EveryFixer_FixesOnlyKnownRulesAndSupportsFixAll()
    {
        var ids = Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(AnalyzerCatalog.CreateFixers(), f =>
        {
            Assert.NotEmpty(f.FixableDiagnosticIds);
            Assert.All(f.FixableDiagnosticIds, id => Assert.Contains(id, ids));
            Assert.NotNull(f.GetFixAllProvider());
        });
    }

    [Fact]
    public void EveryAnalyzer_IsSealed()
    {
        Assert.NotEmpty(AnalyzerCatalog.AnalyzerTypes);
        Assert.All(AnalyzerCatalog.AnalyzerTypes, t => Assert.True(t.IsSealed, $"{t.Name} is not sealed"));
    }
}
