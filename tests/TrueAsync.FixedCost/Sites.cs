using System.IO;
using System.Threading.Tasks;

namespace TrueAsync.FixedCost;

/// <summary>One site of each kind TrueAsync and CA1849 report, and one method neither reports.</summary>
public static class Sites
{
    /// <summary>A blocking call in async code (TA0003, CA1849).</summary>
    public static async Task<string> ReadAsync(string path)
    {
        await Task.Yield();
        return File.ReadAllText(path);
    }

    /// <summary>A finished task around a blocking call (TA0004, CA1849).</summary>
    public static Task<int> LengthAsync(string path) => Task.FromResult(File.ReadAllText(path).Length);

    /// <summary>A blocking wait (TA0002).</summary>
    public static string Wait(Task<string> pending) => pending.Result;

    /// <summary>An offload around a blocking call (TA0001).</summary>
    public static Task<string> OffloadAsync(string path) => Task.Run(() => File.ReadAllText(path));

    /// <summary>Nothing to report.</summary>
    public static int Sum(int left, int right) => left + right;
}
