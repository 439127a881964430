using System.Text.Json;
using OpenNlb.Core.Status;

namespace OpenNlb.Lab;

/// <summary>Reads the state file nlbd writes (<see cref="HostStatus"/> as JSON).</summary>
public static class HostStatusReader
{
    /// <summary>The status, or null when there is no file or no complete JSON in it after a few tries.</summary>
    public static HostStatus? Read(string path)
    {
        // nlbd may be rewriting the file while we read it; a torn read does not parse, so try again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return JsonSerializer.Deserialize(File.ReadAllBytes(path), StatusJsonContext.Default.HostStatus);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                Thread.Sleep(20);
            }
        }

        return null;
    }
}
