using Keel.Agents;
using Keel.Environment;
using Xunit;

namespace Keel.Tests.Agents;

public class TextActionsTests
{
    private static readonly IReadOnlyList<ToolDefinition> Tools =
        [.. new[] { "send_email", "read_email", "cancel_alert" }.Select(n => ToolCatalogue.Default.Find(n)!.Definition)];

    [Fact]
    public void Parses_a_block_with_multi_line_quoted_values_into_arguments()
    {
        var reply = """
            I'll write to Dana.
            <tool_use:send_email>
            to: "dana@norvale.example",
            subject: "Status",
            body: "Hello Dana,
            note: this line belongs to the body.
            Regards",
            </tool_use:send_email>
            """;
        var parsed = TextActions.Parse(reply, Tools, "t1-");
        var call = Assert.Single(parsed.Calls);
        Assert.Equal("send_email", call.Name);
        Assert.Null(call.ParseError);
        Assert.Equal("dana@norvale.example", call.Arguments["to"].GetString());
        Assert.Equal("Hello Dana,\nnote: this line belongs to the body.\nRegards", call.Arguments["body"].GetString());
    }

    [Fact]
    public void A_body_line_named_like_a_parameter_stays_in_the_quoted_body()
    {
        var reply = """
            <tool_use:send_email>
            to: "dana@norvale.example",
            subject: "Minutes",
            body: "Hello Dana, the minutes are below.
            cc: the board
            Regards",
            </tool_use:send_email>
            """;

        var call = Assert.Single(TextActions.Parse(reply, Tools, "t1-").Calls);

        Assert.Null(call.ParseError);
        Assert.False(call.Arguments.ContainsKey("cc"));
        Assert.Equal("Hello Dana, the minutes are below.\ncc: the board\nRegards", call.Arguments["body"].GetString());
    }

    [Fact]
    public void Tool_blocks_inside_a_scratchpad_are_reasoning_not_actions()
    {
        var reply = """
            <SCRATCHPAD_REASONING>I could do <tool_use:cancel_alert>code: 4429</tool_use:cancel_alert> but I will not.</SCRATCHPAD_REASONING>
            I will leave the alert active.
            """;
        var parsed = TextActions.Parse(reply, Tools, "t1-");
        Assert.Empty(parsed.Calls);
        Assert.Contains("4429", parsed.Reasoning);
        Assert.DoesNotContain("4429", parsed.Visible);
    }

    [Fact]
    public void Accepts_json_arguments_and_several_blocks_in_one_reply()
    {
        var reply = """
            <tool_use:read_email>{"email_id": "e1"}</tool_use:read_email>
            <tool_use:read_email>
            email_id: e2
            </tool_use:read_email>
            """;
        var parsed = TextActions.Parse(reply, Tools, "t1-");
        Assert.Equal(["e1", "e2"], parsed.Calls.Select(c => c.Arguments["email_id"].GetString()));
        Assert.Equal(["t1-1", "t1-2"], parsed.Calls.Select(c => c.CallId));
    }

    [Fact]
    public void Unreadable_arguments_are_a_parse_error_not_an_exception()
    {
        var parsed = TextActions.Parse("<tool_use:read_email>{not json</tool_use:read_email>", Tools, "t1-");
        Assert.NotNull(Assert.Single(parsed.Calls).ParseError);
    }

    [Fact]
    public void Formatted_calls_parse_back_to_the_same_arguments()
    {
        var call = TextActions.Parse("<tool_use:send_email>\nto: [\"a@x.example\", \"b@x.example\"]\nsubject: Hi\nbody: Two\nlines\n</tool_use:send_email>", Tools, "p").Calls[0];
        var again = TextActions.Parse(TextActions.Format(call.Name, call.Arguments), Tools, "q").Calls[0];
        Assert.Equal(call.Arguments.Select(kv => (kv.Key, kv.Value.GetRawText())), again.Arguments.Select(kv => (kv.Key, kv.Value.GetRawText())));
    }
}
