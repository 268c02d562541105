using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one version need (an entry of .gnu.version_r) of 64-bit little-endian ELF files,
/// so the dynamic loader tolerates a host library that lacks that version.
/// </summary>
public class WeakenElfVersionNeed : Task
{
    private const uint VersionNeedSectionType = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2; // VER_FLG_WEAK

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    [Required]
    public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var result = Patch(path);
                Log.LogMessage(MessageImportance.Normal, "{0}: {1}", path, result);
            }
            catch (IOException ex)
            {
                // A running test host may hold the library open; it was patched by an earlier build.
                Log.LogWarning("Could not mark {0} weak in {1}: {2}", VersionName, path, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private string Patch(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
            return "not a 64-bit little-endian ELF file, left as is";

        var sectionOffset = (long)BitConverter.ToUInt64(bytes, 0x28);
        int sectionSize = BitConverter.ToUInt16(bytes, 0x3A);
        int sectionCount = BitConverter.ToUInt16(bytes, 0x3C);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = (int)(sectionOffset + (long)i * sectionSize);
            if (BitConverter.ToUInt32(bytes, header + 4) != VersionNeedSectionType)
                continue;

            var needOffset = (int)BitConverter.ToUInt64(bytes, header + 0x18);
            var linkedStrings = (int)BitConverter.ToUInt32(bytes, header + 0x28);
            var needCount = (int)BitConverter.ToUInt32(bytes, header + 0x2C); // sh_info holds the entry count
            var stringsHeader = (int)(sectionOffset + (long)linkedStrings * sectionSize);
            var stringsOffset = (int)BitConverter.ToUInt64(bytes, stringsHeader + 0x18);
            return MarkWeak(path, bytes, needOffset, needCount, stringsOffset);
        }
        return "no version needs, left as is";
    }

    private string MarkWeak(string path, byte[] bytes, int needOffset, int needCount, int stringsOffset)
    {
        var need = needOffset;
        for (var n = 0; n < needCount; n++)
        {
            int auxCount = BitConverter.ToUInt16(bytes, need + 2);
            var aux = need + (int)BitConverter.ToUInt32(bytes, need + 8);
            for (var a = 0; a < auxCount; a++)
            {
                var name = ReadString(bytes, stringsOffset + (int)BitConverter.ToUInt32(bytes, aux + 8));
                if (name == VersionName)
                {
                    var flags = BitConverter.ToUInt16(bytes, aux + 4);
                    if ((flags & WeakFlag) != 0)
                        return VersionName + " already weak";

                    var patched = BitConverter.GetBytes((ushort)(flags | WeakFlag));
                    bytes[aux + 4] = patched[0];
                    bytes[aux + 5] = patched[1];
                    ReplaceKeepingTimestamp(path, bytes);
                    return "marked " + VersionName + " weak";
                }
                aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
            }
            need += (int)BitConverter.ToUInt32(bytes, need + 12);
        }
        return "does not need " + VersionName + ", left as is";
    }

    // Writes a new file and renames it over the old one, so a process that has the library loaded keeps
    // its own mapping. Keeping the timestamp lets later incremental builds skip copying the package's file again.
    private static void ReplaceKeepingTimestamp(string path, byte[] bytes)
    {
        var written = File.GetLastWriteTimeUtc(path);
        var temporary = path + ".weakening";
        File.WriteAllBytes(temporary, bytes);
        File.SetLastWriteTimeUtc(temporary, written);
        File.Delete(path); // Unlinking keeps the old inode alive for any process that maps it.
        File.Move(temporary, path);
    }

    private static string ReadString(byte[] bytes, int offset)
    {
        var end = offset;
        while (bytes[end] != 0)
            end++;
        return Encoding.ASCII.GetString(bytes, offset, end - offset);
    }
}
