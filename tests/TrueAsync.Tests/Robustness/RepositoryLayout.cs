using System;
using System.IO;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// Where the repository's own files are: found by walking up from the running assembly to the folder
/// that holds <c>Analyzers.sln</c>, so the suite reads the rule tests and samples as they are checked out.
/// </summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string RuleTestsDirectory => Path.Combine(Root, "tests", "TrueAsync.Tests", "Rules");

    public static string SamplesDirectory => Path.Combine(Root, "samples");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No folder containing Analyzers.sln above " + AppContext.BaseDirectory);
    }
}
