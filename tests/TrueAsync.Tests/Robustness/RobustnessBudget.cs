using System;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// How much the robustness tests do inside the normal <c>dotnet test</c>: bounded so that the whole
/// robustness part takes a few minutes on two cores. The long command (tests/TrueAsync.Stress) takes
/// its own counts.
/// </summary>
public static class RobustnessBudget
{
    /// <summary>The seed of every mutation in the test run: the same mutations on every machine.</summary>
    public const int Seed = 20251126;

    /// <summary>Mutated copies of the inputs checked for crashes.</summary>
    public const int Mutations = 360;

    /// <summary>Files of the generated project checked at the default configuration.</summary>
    public const int GeneratedFiles = 24;

    /// <summary>Files of the smaller generated project used for mutations and the language/framework range.</summary>
    public const int SmallGeneratedFiles = 9;

    /// <summary>
    /// Outside the default configuration, each language version / framework pair checks one slice of the
    /// rule test inputs (every n-th input, a different offset per pair), so that together the pairs
    /// cover every input; the long command checks every input at every pair.
    /// </summary>
    public const int RangeSlices = 3;

    public static int Parallelism => Math.Max(1, Environment.ProcessorCount);
}
