using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace TrueAsync.Tests.Robustness;

/// <summary>How much work one input may cost.</summary>
public sealed record RobustnessLimits
{
    /// <summary>Diagnostics per input whose fixes are applied one by one (all of them are asked for fixes).</summary>
    public int MaxSingleFixesPerInput { get; init; } = 40;

    /// <summary>Documents per input on which Fix All runs at document scope.</summary>
    public int MaxFixAllDocuments { get; init; } = 3;

    /// <summary>Longer than this, an analyzer or fixer call counts as hung.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>
/// The checks of the robustness suite, over any input and any set of analyzers and fixers:
/// nothing crashes or hangs, every fix and Fix All compiles, a fixed site is not reported again,
/// a second Fix All finds nothing more, and each call site gets at most one diagnostic.
/// Every problem is counted in the <see cref="RobustnessReport"/>; nothing throws.
/// </summary>
public sealed class RobustnessEngine
{
    private readonly RulesUnderTest _rules;
    private readonly RobustnessLimits _limits;

    public RobustnessEngine(RulesUnderTest rules, RobustnessReport report, RobustnessLimits? limits = null)
    {
        _rules = rules;
        Report = report;
        _limits = limits ?? new RobustnessLimits();
    }

    public RobustnessReport Report { get; }

    /// <summary>
    /// Runs the analyzers, then every fixer on every diagnostic: registers its actions, applies each
    /// one, and runs Fix All at document scope. Any exception or AD0001 is a crash. Returns the findings.
    /// </summary>
    public async Task<ImmutableArray<Diagnostic>> CheckNoCrashAsync(RobustnessInput input, RobustnessConfiguration configuration, CancellationToken cancellationToken = default)
    {
        Report.AddInput(input);
        using var project = await InputProject.CreateAsync(input, configuration, cancellationToken).ConfigureAwait(false);
        var diagnostics = await GuardAsync(input, "running the analyzers", ct => InputProject.DiagnoseAsync(project.Project, _rules, withErrors: false, ct), cancellationToken).ConfigureAwait(false);
        if (diagnostics is null)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        ReportCrashes(input, diagnostics.Crashes, "analyzing the input");
        await CheckEveryClassifiedSiteAsync(input, project.Project, diagnostics.Findings, cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<(CodeFixProvider Fixer, string Id), Dictionary<string, Document>>();
        foreach (var diagnostic in diagnostics.Findings)
        {
            Report.AddDiagnostic(diagnostic.Id);
            var document = project.Project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
            {
                continue;
            }

            foreach (var fixer in _rules.FixersFor(diagnostic.Id))
            {
                var actions = await GuardAsync(input, $"{fixer.GetType().Name} registering fixes for {Where(diagnostic)}", ct => FixDriver.RegisterAsync(fixer, document, diagnostic, ct), cancellationToken).ConfigureAwait(false);
                foreach (var action in actions ?? Array.Empty<CodeAction>())
                {
                    Report.AddFixOffered();
                    Remember(keys, fixer, diagnostic.Id, action.EquivalenceKey, document);
                    var changed = await GuardAsync(input, $"{fixer.GetType().Name} computing '{action.Title}' for {Where(diagnostic)}", ct => FixDriver.ApplyAsync(action, project.Project.Solution, ct), cancellationToken).ConfigureAwait(false);
                    if (changed is not null)
                    {
                        Report.AddFixApplied();
                    }
                }
            }
        }

        foreach (var entry in keys)
        {
            foreach (var (key, document) in entry.Value)
            {
                Report.AddFixAllRun();
                await GuardAsync(input, $"{entry.Key.Fixer.GetType().Name} Fix All ({entry.Key.Id}, '{key}') in a document", ct => FixDriver.FixAllAsync(entry.Key.Fixer, FixAllScope.Document, document, entry.Key.Id, NullIfEmpty(key), new AnalyzerDiagnosticProvider(_rules), ct), cancellationToken).ConfigureAwait(false);
            }
        }

        return diagnostics.Findings;
    }

    /// <summary>
    /// The full check of an unmutated input: no crash, one voice per call site, every offered fix
    /// and Fix All (document and project scope) compiles without new errors, a fixed site is not
    /// reported again with the same ID, and a second Fix All changes nothing.
    /// </summary>
    public async Task CheckFixesAsync(RobustnessInput input, RobustnessConfiguration configuration, CancellationToken cancellationToken = default)
    {
        Report.AddInput(input);
        using var project = await InputProject.CreateAsync(input, configuration, cancellationToken).ConfigureAwait(false);
        var before = await GuardAsync(input, "running the analyzers", ct => InputProject.DiagnoseAsync(project.Project, _rules, withErrors: true, ct), cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return;
        }

        ReportCrashes(input, before.Crashes, "analyzing the input");
        CheckOneVoice(input, before.Findings, cancellationToken);
        await CheckEveryClassifiedSiteAsync(input, project.Project, before.Findings, cancellationToken).ConfigureAwait(false);
        var single = Sample(before.Findings, _limits.MaxSingleFixesPerInput);
        var keys = new Dictionary<(CodeFixProvider Fixer, string Id), Dictionary<string, Document>>();
        foreach (var diagnostic in before.Findings)
        {
            Report.AddDiagnostic(diagnostic.Id);
            var document = project.Project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
            {
                continue;
            }

            foreach (var fixer in _rules.FixersFor(diagnostic.Id))
            {
                var actions = await GuardAsync(input, $"{fixer.GetType().Name} registering fixes for {Where(diagnostic)}", ct => FixDriver.RegisterAsync(fixer, document, diagnostic, ct), cancellationToken).ConfigureAwait(false);
                foreach (var action in actions ?? Array.Empty<CodeAction>())
                {
                    Report.AddFixOffered();
                    Remember(keys, fixer, diagnostic.Id, action.EquivalenceKey, document);
                    if (!single.Contains(diagnostic))
                    {
                        continue;
                    }

                    var what = $"fix '{action.Title}' ({fixer.GetType().Name}) for {Where(diagnostic)}";
                    var applied = await GuardAsync(input, "computing " + what, async ct => new Applied(await FixDriver.ApplyAsync(action, project.Project.Solution, ct).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
                    if (applied is null)
                    {
                        continue;
                    }

                    if (applied.Solution is not { } changed)
                    {
                        Report.Fail(FailureKind.NoChange, input.Name, what + " changes nothing");
                        continue;
                    }

                    Report.AddFixApplied();
                    await VerifyFixedAsync(input, project.Project, before, changed, what, diagnostic, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var entry in keys)
        {
            var (fixer, id) = entry.Key;
            foreach (var key in entry.Value.Keys)
            {
                await CheckFixAllAsync(input, project.Project, before, fixer, id, key, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Mutates the inputs (<paramref name="count"/> mutations in all, spread over them, seeded) and
    /// checks that nothing crashes on the mutated code.
    /// </summary>
    public async Task CheckMutationsAsync(IReadOnlyList<RobustnessInput> inputs, int count, int seed, RobustnessConfiguration configuration, int parallelism, CancellationToken cancellationToken = default)
    {
        if (inputs.Count == 0 || count <= 0)
        {
            return;
        }

        var order = inputs.OrderBy(i => StableHash.Of(i.Name, seed)).ThenBy(i => i.Name, StringComparer.Ordinal).ToArray();
        var quotas = order.Select((input, index) => (Input: input, Quota: count / order.Length + (index < count % order.Length ? 1 : 0)))
            .Where(p => p.Quota > 0)
            .ToArray();
        await ForEachAsync(quotas, parallelism, async (pair, ct) =>
        {
            var (input, quota) = pair;
            var inputSeed = StableHash.Of(input.Name, seed);
            var random = new Random(inputSeed);
            var documentIndex = random.Next(input.Documents.Length);
            var document = input.Documents[documentIndex];
            var hotSpots = await HotSpotsAsync(input, document, configuration, ct).ConfigureAwait(false);
            var cutOffs = quota / 4;
            var mutations = SourceMutator.CutOffs(document.Text, inputSeed, cutOffs)
                .Concat(SourceMutator.Mutate(document.Text, inputSeed + 1, quota - cutOffs, hotSpots))
                .Take(quota);
            foreach (var mutation in mutations)
            {
                var mutated = input with
                {
                    Name = $"{input.Name} ~ {document.Path} {mutation.Describe()} (seed {seed})",
                    Origin = InputOrigin.Mutation,
                    Documents = input.Documents.SetItem(documentIndex, document with { Text = mutation.Text }),
                };
                await CheckNoCrashAsync(mutated, configuration, ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="body"/> for every item, at most <paramref name="parallelism"/> at a time.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken = default)
        => Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
            async (item, ct) => await body(item, ct).ConfigureAwait(false));

    private async Task<ImmutableArray<TextSpan>> HotSpotsAsync(RobustnessInput input, InputDocument document, RobustnessConfiguration configuration, CancellationToken cancellationToken)
    {
        try
        {
            using var project = await InputProject.CreateAsync(input, configuration, cancellationToken).ConfigureAwait(false);
            var diagnostics = await InputProject.DiagnoseAsync(project.Project, _rules, withErrors: false, cancellationToken).ConfigureAwait(false);
            var tree = await project.Project.Documents.First(d => d.Name == document.Path).GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return diagnostics.Findings.Where(d => d.Location.SourceTree == tree).Select(d => d.Location.SourceSpan).ToImmutableArray();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The unmutated input is checked on its own; here it only aims the mutations.
            return ImmutableArray<TextSpan>.Empty;
        }
    }

    private async Task CheckFixAllAsync(RobustnessInput input, Project project, ProjectDiagnostics before, CodeFixProvider fixer, string id, string key, CancellationToken cancellationToken)
    {
        var documents = before.Findings.Where(d => d.Id == id)
            .Select(d => project.GetDocument(d.Location.SourceTree))
            .OfType<Document>()
            .Distinct()
            .ToArray();
        if (documents.Length == 0)
        {
            return;
        }

        var name = fixer.GetType().Name;
        foreach (var document in documents.Take(_limits.MaxFixAllDocuments))
        {
            Report.AddFixAllRun();
            var what = $"Fix All ({name}, {id}, '{key}') in {document.Name}";
            var fixedDocument = await GuardAsync(input, what, ct => FixDriver.FixAllAsync(fixer, FixAllScope.Document, document, id, NullIfEmpty(key), new AnalyzerDiagnosticProvider(_rules), ct), cancellationToken).ConfigureAwait(false);
            if (fixedDocument is not null)
            {
                await VerifyFixedAsync(input, project, before, fixedDocument, what, site: null, cancellationToken).ConfigureAwait(false);
            }
        }

        Report.AddFixAllRun();
        var projectWhat = $"Fix All ({name}, {id}, '{key}') in the project";
        var fixedProject = await GuardAsync(input, projectWhat, ct => FixDriver.FixAllAsync(fixer, FixAllScope.Project, documents[0], id, NullIfEmpty(key), new AnalyzerDiagnosticProvider(_rules), ct), cancellationToken).ConfigureAwait(false);
        if (fixedProject is null)
        {
            return;
        }

        await VerifyFixedAsync(input, project, before, fixedProject, projectWhat, site: null, cancellationToken).ConfigureAwait(false);

        // Idempotent: a second Fix All over the fixed project finds nothing more to fix for this ID and key.
        var again = fixedProject.GetProject(project.Id)!.Documents.FirstOrDefault(d => d.Id == documents[0].Id) ?? fixedProject.GetProject(project.Id)!.Documents.First();
        Report.AddFixAllRun();
        var second = await GuardAsync(input, "second " + projectWhat, ct => FixDriver.FixAllAsync(fixer, FixAllScope.Project, again, id, NullIfEmpty(key), new AnalyzerDiagnosticProvider(_rules), ct), cancellationToken).ConfigureAwait(false);
        if (second is not null)
        {
            var changedDocument = second.GetChanges(fixedProject).GetProjectChanges().SelectMany(p => p.GetChangedDocuments(true)).FirstOrDefault();
            var excerpt = changedDocument is null ? string.Empty : await ChangeExcerptAsync(fixedProject.GetDocument(changedDocument)!, second.GetDocument(changedDocument)!, cancellationToken).ConfigureAwait(false);
            Report.Fail(FailureKind.FixAllNotIdempotent, input.Name, $"second {projectWhat} changed the code again: {excerpt}");
        }
    }

    /// <summary>Checks one fixed state against the state before the fix.</summary>
    private async Task VerifyFixedAsync(RobustnessInput input, Project project, ProjectDiagnostics before, Solution changed, string what, Diagnostic? site, CancellationToken cancellationToken)
    {
        var fixedProject = changed.GetProject(project.Id);
        if (fixedProject is null)
        {
            return;
        }

        var after = await GuardAsync(input, "analyzing the result of " + what, ct => InputProject.DiagnoseAsync(fixedProject, _rules, withErrors: true, ct), cancellationToken).ConfigureAwait(false);
        if (after is null)
        {
            return;
        }

        ReportCrashes(input, after.Crashes, "analyzing the result of " + what);
        var newErrors = FixDriver.NewErrors(before.Errors, after.Errors);
        if (newErrors.Length > 0)
        {
            var first = newErrors[0];
            var line = first.Location.GetLineSpan().StartLinePosition.Line;
            var text = first.Location.SourceTree is { } tree ? (await tree.GetTextAsync(cancellationToken).ConfigureAwait(false)) : null;
            var excerpt = text is null ? string.Empty : Excerpt(text, line);
            Report.Fail(FailureKind.CompileFailure, input.Name, $"{what} gives {newErrors.Length} new error(s): {string.Join(" | ", newErrors.Take(3).Select(e => e.ToString()))}{Environment.NewLine}{excerpt}");
        }

        if (site is null)
        {
            return;
        }

        var originalDocument = project.GetDocument(site.Location.SourceTree);
        var fixedDocument = originalDocument is null ? null : fixedProject.GetDocument(originalDocument.Id);
        if (originalDocument is null || fixedDocument is null)
        {
            return;
        }

        var changes = (await fixedDocument.GetTextChangesAsync(originalDocument, cancellationToken).ConfigureAwait(false)).ToArray();
        var fixedTree = await fixedDocument.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        var originalText = await originalDocument.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var fixedText = await fixedDocument.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var siteSpan = site.Location.SourceSpan;

        // Diagnostics of the same ID that were there before at other spans (a second wait in the same
        // chain, a wait in an argument) may still be there; each excuses one diagnostic after the fix.
        // Roslyn's text changes can be coarse (a whole expression replaced), so a diagnostic is matched
        // by its mapped span first, then by the text it covers.
        var others = before.Findings.Where(d => d.Id == site.Id && d.Location.SourceTree == site.Location.SourceTree && d.Location.SourceSpan != siteSpan).ToList();
        foreach (var again in after.Findings.Where(d => d.Id == site.Id && d.Location.SourceTree == fixedTree))
        {
            var mapped = FixDriver.MapBack(again.Location.SourceSpan, changes);
            if (!mapped.OverlapsWith(siteSpan) && mapped.Start != siteSpan.Start)
            {
                continue;
            }

            var text = fixedText.ToString(again.Location.SourceSpan);
            var excuse = others.FirstOrDefault(d => d.Location.SourceSpan == mapped)
                ?? others.FirstOrDefault(d => originalText.ToString(d.Location.SourceSpan) == text);
            if (excuse is not null)
            {
                others.Remove(excuse);
                continue;
            }

            Report.Fail(FailureKind.StillReported, input.Name, $"after {what}, {again.Id} is reported at the fixed site: {again.GetMessage()}{Environment.NewLine}{Excerpt(fixedText, again.Location.GetLineSpan().StartLinePosition.Line)}");
        }
    }

    private void CheckOneVoice(RobustnessInput input, ImmutableArray<Diagnostic> findings, CancellationToken cancellationToken)
    {
        foreach (var (first, second) in CallSites.Collisions(findings, cancellationToken))
        {
            var text = first.Location.SourceTree!.GetText(cancellationToken);
            Report.Fail(FailureKind.TwoVoices, input.Name, $"{Where(first)} and {Where(second)} speak about one call site{Environment.NewLine}{Excerpt(text, first.Location.GetLineSpan().StartLinePosition.Line)}");
        }
    }

    /// <summary>Zero voices: every site the classifier calls fake async gets exactly one diagnostic from its owner.</summary>
    private async Task CheckEveryClassifiedSiteAsync(RobustnessInput input, Project project, ImmutableArray<Diagnostic> findings, CancellationToken cancellationToken)
    {
        // The classifier names the shipped rules as owners: the check applies when they all run (not to test doubles).
        if (!ClassifiedSites.OwnerIds.All(_rules.DiagnosticIds.Contains)
            || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return;
        }

        foreach (var problem in ClassifiedSites.Unvoiced(compilation, findings, cancellationToken))
        {
            var text = problem.Site.SyntaxTree.GetText(cancellationToken);
            var line = problem.Site.GetLocation().GetLineSpan().StartLinePosition.Line;
            var others = problem.Others.IsEmpty ? string.Empty : " (reported instead: " + string.Join(", ", problem.Others.Select(d => d.Id)) + ")";
            Report.Fail(FailureKind.NoVoice, input.Name, $"{problem.Shape} site owned by {problem.Owner} has {problem.Voices} diagnostics from it{others} at {problem.Site.SyntaxTree.FilePath}({line + 1}){Environment.NewLine}{Excerpt(text, line)}");
        }
    }

    private void ReportCrashes(RobustnessInput input, ImmutableArray<Diagnostic> crashes, string when)
    {
        foreach (var crash in crashes)
        {
            Report.Fail(FailureKind.Crash, input.Name, $"{when}: {Shorten(crash.GetMessage())}");
        }
    }

    /// <summary>
    /// Runs one analyzer or fixer call; an exception becomes a crash, a call that runs past the limit a
    /// hang. Returns null in both cases.
    /// </summary>
    private async Task<T?> GuardAsync<T>(RobustnessInput input, string what, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
        where T : class?
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_limits.Timeout);
        try
        {
            // WaitAsync also ends the wait for code that ignores its cancellation token.
            return await run(limit.Token).WaitAsync(_limits.Timeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is OperationCanceledException or TimeoutException)
        {
            Report.Fail(FailureKind.Hang, input.Name, $"{what} ran longer than {_limits.Timeout.TotalSeconds:0} s");
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Report.Fail(FailureKind.Crash, input.Name, $"{what}: {FixDriver.Describe(exception)}");
            return null;
        }
    }

    /// <summary>The result of an action: null when it changed nothing (a null <see cref="Applied"/> means it failed).</summary>
    private sealed record Applied(Solution? Solution);

    private static void Remember(Dictionary<(CodeFixProvider, string), Dictionary<string, Document>> keys, CodeFixProvider fixer, string id, string? key, Document document)
    {
        if (!keys.TryGetValue((fixer, id), out var byKey))
        {
            keys[(fixer, id)] = byKey = new Dictionary<string, Document>(StringComparer.Ordinal);
        }

        byKey.TryAdd(key ?? string.Empty, document);
    }

    private static string? NullIfEmpty(string key) => key.Length == 0 ? null : key;

    /// <summary>At most <paramref name="max"/> diagnostics, spread evenly over the list and over the IDs.</summary>
    private static HashSet<Diagnostic> Sample(ImmutableArray<Diagnostic> findings, int max)
    {
        if (findings.Length <= max)
        {
            return new HashSet<Diagnostic>(findings);
        }

        var picked = new HashSet<Diagnostic>();
        var byId = findings.GroupBy(d => d.Id, StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();
        for (var round = 0; picked.Count < max; round++)
        {
            var progress = false;
            foreach (var group in byId)
            {
                // The round-th pick of each ID, spread over that ID's diagnostics.
                var stride = Math.Max(1, group.Length / Math.Max(1, max / byId.Length));
                var index = round * stride;
                if (index < group.Length && picked.Count < max)
                {
                    progress |= picked.Add(group[index]);
                }
            }

            if (!progress)
            {
                break;
            }
        }

        return picked;
    }

    /// <summary>An AD0001 message without the driver's context lines: the first line and the frame that threw.</summary>
    private static string Shorten(string message)
    {
        var lines = message.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var frame = lines.FirstOrDefault(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)) ?? string.Empty;
        var node = lines.FirstOrDefault(l => l.StartsWith("SyntaxNode:", StringComparison.Ordinal)) ?? string.Empty;
        return $"{lines[0]} {node.Trim()} {frame.Trim()}";
    }

    private static string Where(Diagnostic diagnostic)
    {
        var position = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} {position.Path}({position.StartLinePosition.Line + 1},{position.StartLinePosition.Character + 1})";
    }

    private static string Excerpt(SourceText text, int line)
    {
        var first = Math.Max(0, line - 2);
        var last = Math.Min(text.Lines.Count - 1, line + 2);
        return string.Join(Environment.NewLine, Enumerable.Range(first, last - first + 1).Select(i => $"    {i + 1,5}| {text.Lines[i]}"));
    }

    private static async Task<string> ChangeExcerptAsync(Document before, Document after, CancellationToken cancellationToken)
    {
        var changes = (await after.GetTextChangesAsync(before, cancellationToken).ConfigureAwait(false)).ToArray();
        if (changes.Length == 0)
        {
            return string.Empty;
        }

        var text = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var change = changes[0];
        return $"'{text.GetSubText(change.Span)}' -> '{change.NewText}' at line {text.Lines.GetLineFromPosition(change.Span.Start).LineNumber + 1}";
    }
}
