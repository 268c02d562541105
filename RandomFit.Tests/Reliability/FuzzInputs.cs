using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RandomFit.Tests.Reliability;

/// <summary>
/// Generates malformed request bodies, query strings and ids from one seeded <see cref="Random"/>, so a
/// failing input can be reproduced from the seed and the iteration number.
/// </summary>
public sealed class FuzzInputs(int seed)
{
    private static readonly string[] OddStrings =
    [
        "", " ", "\0", "\u0000abc", "\u202Eevil", "\u200B", "é", "e\u0301", "😀", "\uFFFF", "\uFEFF", "null",
        "true", "0", "-1", "NaN", "Infinity", "1e400", "../../etc/passwd", "%00", "%", "%zz", "<script>",
        "'; DROP TABLE runs;--",
        "a/b", "\\", "\"", "{}", "[]", "cnn", "mlp", "uniform", "max", "adam", new string('x', 5000),
    ];

    private static readonly string[] NumberTexts =
    [
        "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999999999", "1e308", "1.7976931348623157e308", "-1e308", "1e-320", "0.5", "1.0", "3e2",
        "1E+2", "0.0000001", "4294967296", "18446744073709551616",
    ];

    private static readonly string[] QueryKeys =
        ["experiment", "model", "status", "seed", "preset", "sort", "page", "pageSize", "unknown", "", "Page"];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>A body that must be rejected: a mutated valid body with at least one breaking change.</summary>
    public string InvalidExperimentBody(string validBody)
    {
        var root = JsonNode.Parse(validBody)!;
        var mutations = _random.Next(0, 4);
        for (var i = 0; i < mutations; i++)
        {
            root = Mutate(root);
        }

        return _random.Next(6) switch
        {
            0 => Truncate(root.ToJsonString()),
            1 => AddUnknownProperty(root).ToJsonString(),
            2 => RandomValue(depth: 0).ToJsonStringOrNull(),
            3 => BreakRequiredField(root).ToJsonString(),
            4 => OddText(),
            _ => Nest(_random.Next(30, 3000)),
        };
    }

    /// <summary>
    /// A route id, never empty. NUL characters are left out because the in-process test server throws on them
    /// before the app sees the request; Kestrel rejects them itself.
    /// </summary>
    public string RandomId()
    {
        var id = AnyId().Replace("%00", "%01", StringComparison.Ordinal);
        return id.Length == 0 ? "%20" : id;
    }

    private string AnyId() => _random.Next(8) switch
    {
        0 => Uri.EscapeDataString(OddStrings[_random.Next(OddStrings.Length)]),
        1 => new string('a', _random.Next(1, 3000)),
        2 => Guid.NewGuid().ToString("N")[..12],
        3 => "%2F..%2F",
        4 => Uri.EscapeDataString(OddText()),
        5 => _random.NextInt64().ToString(CultureInfo.InvariantCulture),
        6 => "%C0%AF",
        _ => Uri.EscapeDataString(RandomString(_random.Next(1, 40))),
    };

    public string RandomQuery()
    {
        var parts = new List<string>();
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            var key = QueryKeys[_random.Next(QueryKeys.Length)];
            var value = _random.Next(3) switch
            {
                0 => NumberTexts[_random.Next(NumberTexts.Length)],
                1 => OddStrings[_random.Next(OddStrings.Length)],
                _ => RandomString(_random.Next(0, 20)),
            };
            parts.Add(Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(value));
        }

        // Raw, unescaped garbage too: a lone '%', '&&', '=' without a key.
        return _random.Next(4) == 0 ? string.Join("&", parts) + "&%&&=&" + "page=%FF" : string.Join("&", parts);
    }

    /// <summary>An argument for a hub method: wrong types, nulls and odd strings.</summary>
    public object? HubArgument() => _random.Next(7) switch
    {
        0 => null,
        1 => _random.Next(),
        2 => new { id = "x" },
        3 => new[] { 1, 2, 3 },
        4 => 1e308,
        5 => true,
        _ => OddStrings[_random.Next(OddStrings.Length)],
    };

    private JsonNode Mutate(JsonNode root)
    {
        var nodes = Flatten(root).ToList();
        var target = nodes[_random.Next(nodes.Count)];
        if (target.Parent is JsonObject parent)
        {
            var key = target.GetPropertyName();
            switch (_random.Next(3))
            {
                case 0:
                    parent[key] = RandomValue(depth: 0);
                    break;
                case 1:
                    parent.Remove(key);
                    break;
                default:
                    parent.Remove(key);
                    parent[char.ToUpperInvariant(key[0]) + key[1..]] = target;
                    break;
            }
        }
        else if (target.Parent is JsonArray array)
        {
            array[target.GetElementIndex()] = RandomValue(depth: 0);
        }

        return root;
    }

    private JsonNode AddUnknownProperty(JsonNode root)
    {
        var objects = Flatten(root).OfType<JsonObject>().ToList();
        if (objects.Count == 0)
        {
            return new JsonObject { ["unexpected"] = 1 };
        }

        objects[_random.Next(objects.Count)]["unexpected" + _random.Next(100)] = RandomValue(depth: 0);
        return root;
    }

    private JsonNode BreakRequiredField(JsonNode root)
    {
        // Epochs must be 1 up and the shape must be positive, so these are always rejected.
        if (root["spec"] is JsonObject spec)
        {
            switch (_random.Next(4))
            {
                case 0:
                    spec["training"] = new JsonObject { ["epochs"] = JsonValue.Create(-_random.Next(0, 1000)) };
                    break;
                case 1:
                    spec["data"] = new JsonObject { ["shape"] = JsonValue.Create("3x100x100") };
                    break;
                case 2:
                    spec["models"] = new JsonArray();
                    break;
                default:
                    spec["seeds"] = JsonNode.Parse("[1, 1]");
                    break;
            }

            return root;
        }

        return new JsonObject { ["preset"] = "article-example-1", ["spec"] = root.DeepClone() };
    }

    private JsonNode? RandomValue(int depth)
    {
        var choice = depth > 3 ? _random.Next(6) : _random.Next(9);
        return choice switch
        {
            0 => null,
            1 => JsonValue.Create(_random.Next(2) == 0),
            2 => JsonNode.Parse(NumberTexts[_random.Next(NumberTexts.Length)]),
            3 => JsonValue.Create(OddStrings[_random.Next(OddStrings.Length)]),
            4 => JsonValue.Create(RandomString(_random.Next(0, 30))),
            5 => JsonValue.Create(_random.NextDouble() * 1e6 - 5e5),
            6 => new JsonArray([.. Enumerable.Range(0, _random.Next(0, 4)).Select(_ => RandomValue(depth + 1))]),
            7 => JsonNode.Parse(Nest(_random.Next(2, 12))),
            _ => new JsonObject([.. Enumerable.Range(0, _random.Next(0, 4)).Select(i =>
                KeyValuePair.Create("k" + i, RandomValue(depth + 1)))]),
        };
    }

    private string Truncate(string json) => json[.._random.Next(0, json.Length)];

    private string OddText() => _random.Next(5) switch
    {
        0 => "{\"spec\": \"\uD800\"}",
        1 => "{\"preset\": \"article-example-1\", \"name\": \"\\uD800\\uDC00\\uDFFF\"}",
        2 => "\uFEFF{\"preset\": \"article-example-1\"",
        3 => "{\"preset\": \"article-example-1\",}",
        _ => "{'preset': 'article-example-1'}",
    };

    private static string Nest(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":[", depth)) + "1" + string.Concat(Enumerable.Repeat("]}", depth));

    private string RandomString(int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            // Mostly printable ASCII, sometimes any BMP code point outside the surrogate range.
            var code = _random.Next(4) == 0 ? _random.Next(0x80, 0xD800) : _random.Next(0x20, 0x7F);
            text.Append((char)code);
        }

        return text.ToString();
    }

    private static IEnumerable<JsonNode> Flatten(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Flatten(child))
            {
                yield return descendant;
            }
        }
    }
}

internal static class JsonNodeText
{
    public static string ToJsonStringOrNull(this JsonNode? node) => node?.ToJsonString() ?? "null";
}
