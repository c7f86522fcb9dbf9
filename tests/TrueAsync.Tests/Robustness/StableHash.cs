namespace TrueAsync.Tests.Robustness;

/// <summary>
/// A hash that is the same in every process (string.GetHashCode and HashCode are randomised per
/// process), so that a seed reproduces the same mutations on every machine.
/// </summary>
public static class StableHash
{
    public static int Of(string text, int seed = 0)
    {
        unchecked
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)(hash & 0x7FFFFFFF);
        }
    }
}
