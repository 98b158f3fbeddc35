<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Smileys</source>
        <translation>Smileys</translation>
    </message>
    <message>
        <source>Gestures</source>
        <translation>Gestures</translation>
    </message>
    <message>
        <source>Hearts and symbols</source>
        <translation>Hearts and symbols</translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>Objects</translation>
    </message>
    <message>
        <source>Nature, food and travel</source>
        <translation>Nature, food and travel</translation>
    </message>
</context>
<context>
    <name>atende::app::console::CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation>Command palette</translation>
    </message>
    <message>
        <source>Type an action…</source>
        <translation>Type an action…</translation>
    </message>
</context>
<context>
    <name>atende::app::console::Composer</name>
    <message>
        <source>Internal note (Ctrl+N)</source>
        <translation>Internal note (Ctrl+N)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Type a message — / for quick replies</source>
        <translation>Type a message — / for quick replies</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>Emoji</translation>
    </message>
    <message>
        <source>Do not reply to this message</source>
        <translation>Do not reply to this message</translation>
    </message>
    <message>
        <source>Internal note, only your team sees it — @ mentions a colleague</source>
        <translation>Internal note, only your team sees it — @ mentions a colleague</translation>
    </message>
    <message>
        <source>Replying to: %1</source>
        <translation>Replying to: %1</translation>
    </message>
</context>
<context>
    <name>atende::app::console::ConsoleWindow</name>
    <message>
        <source>The server cannot be reached. Trying again…</source>
        <translation>The server cannot be reached. Trying again…</translation>
    </message>
    <message>
        <source>No ticket open</source>
        <translation>No ticket open</translation>
    </message>
    <message>
        <source>Choose a ticket on the left, or press Ctrl+K</source>
        <translation>Choose a ticket on the left, or press Ctrl+K</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Accept next waiting</source>
        <translation>Accept next waiting</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Transfer…</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Hold</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>Close…</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Add tag…</translation>
    </message>
    <message>
        <source>Toggle internal note</source>
        <translation>Toggle internal note</translation>
    </message>
    <message>
        <source>Next ticket</source>
        <translation>Next ticket</translation>
    </message>
    <message>
        <source>Previous ticket</source>
        <translation>Previous ticket</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Command palette</source>
        <translation>Command palette</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>Do not disturb</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 failed: %2</translation>
    </message>
    <message>
        <source>Another agent accepted this ticket first.</source>
        <translation>Another agent accepted this ticket first.</translation>
    </message>
    <message>
        <source>No ticket is waiting.</source>
        <translation>No ticket is waiting.</translation>
    </message>
    <message>
        <source>Accept next</source>
        <translation>Accept next</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>Ticket transferred.</source>
        <translation>Ticket transferred.</translation>
    </message>
    <message>
        <source>Close ticket</source>
        <translation>Close ticket</translation>
    </message>
    <message>
        <source>Closing message to the customer (optional):</source>
        <translation>Closing message to the customer (optional):</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Add tag</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>Tag:</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>Fill in before sending: %1</source>
        <translation>Fill in before sending: %1</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Send the message</translation>
    </message>
    <message>
        <source>Shift+Enter</source>
        <translation>Shift+Enter</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>New line</translation>
    </message>
    <message>
        <source>Quick replies</source>
        <translation>Quick replies</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>New ticket waiting</source>
        <translation>New ticket waiting</translation>
    </message>
    <message>
        <source>Ticket transferred to you</source>
        <translation>Ticket transferred to you</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>New message</translation>
    </message>
    <message>
        <source>You were mentioned</source>
        <translation>You were mentioned</translation>
    </message>
    <message numerus="yes">
        <source>Atende — %n unread message(s)</source>
        <translation>
            <numerusform>Atende — %n unread message</numerusform>
            <numerusform>Atende — %n unread messages</numerusform>
        </translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Mark as read</translation>
    </message>
    <message>
        <source>Insert emoji…</source>
        <translation>Insert emoji…</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>Desktop notifications</translation>
    </message>
    <message>
        <source>Notification sound</source>
        <translation>Notification sound</translation>
    </message>
    <message>
        <source>Filter by sector…</source>
        <translation>Filter by sector…</translation>
    </message>
    <message>
        <source>Filter by connection…</source>
        <translation>Filter by connection…</translation>
    </message>
    <message>
        <source>Filter by tag…</source>
        <translation>Filter by tag…</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>Removing the tag</source>
        <translation>Removing the tag</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Retrying</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Remove “%1”</source>
        <translation>Remove “%1”</translation>
    </message>
    <message>
        <source>Open contact</source>
        <translation>Open contact</translation>
    </message>
    <message>
        <source>(media)</source>
        <translation>(media)</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copy text</translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation>Retry sending</translation>
    </message>
</context>
<context>
    <name>atende::app::console::ConversationPanel</name>
    <message>
        <source>customer is typing…</source>
        <translation>customer is typing…</translation>
    </message>
</context>
<context>
    <name>atende::app::console::DetailsPanel</name>
    <message>
        <source>CONTACT</source>
        <translation>CONTACT</translation>
    </message>
    <message>
        <source>TICKET</source>
        <translation>TICKET</translation>
    </message>
    <message>
        <source>TIMELINE</source>
        <translation>TIMELINE</translation>
    </message>
    <message>
        <source>EARLIER TICKETS</source>
        <translation>EARLIER TICKETS</translation>
    </message>
    <message>
        <source>No ticket open</source>
        <translation>No ticket open</translation>
    </message>
    <message>
        <source>With the bot</source>
        <translation>With the bot</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>In service</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>On hold</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <source>Left the bot</source>
        <translation>Left the bot</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <source>Put on hold</source>
        <translation>Put on hold</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>Resumed</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Reopened</translation>
    </message>
    <message>
        <source>Tagged</source>
        <translation>Tagged</translation>
    </message>
    <message>
        <source>Tag removed</source>
        <translation>Tag removed</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>First response</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>Tags: %1</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>State: %1</translation>
    </message>
    <message>
        <source>Sector: %1</source>
        <translation>Sector: %1</translation>
    </message>
    <message>
        <source>general queue</source>
        <translation>general queue</translation>
    </message>
    <message>
        <source>Agent: %1</source>
        <translation>Agent: %1</translation>
    </message>
    <message>
        <source>No earlier tickets.</source>
        <translation>No earlier tickets.</translation>
    </message>
</context>
<context>
    <name>atende::app::console::EmojiPicker</name>
    <message>
        <source>Search emoji</source>
        <translation>Search emoji</translation>
    </message>
</context>
<context>
    <name>atende::app::console::MessageDelegate</name>
    <message>
        <source>Not sent · retry</source>
        <translation>Not sent · retry</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Photo</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Sticker</source>
        <translation>Sticker</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>Contact card</source>
        <translation>Contact card</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Attachment</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
</context>
<context>
    <name>atende::app::console::SignInPage</name>
    <message>
        <source>Remember me on this computer</source>
        <translation>Remember me on this computer</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>you@company.com</source>
        <translation>you@company.com</translation>
    </message>
    <message>
        <source>Sign in to Atende</source>
        <translation>Sign in to Atende</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Wrong e-mail or password.</source>
        <translation>Wrong e-mail or password.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your connection.</source>
        <translation>The server cannot be reached. Check the address and your connection.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a moment and try again.</source>
        <translation>Too many attempts. Wait a moment and try again.</translation>
    </message>
    <message>
        <source>Your session expired. Sign in again; your drafts are kept.</source>
        <translation>Your session expired. Sign in again; your drafts are kept.</translation>
    </message>
    <message>
        <source>Sign-in failed (%1).</source>
        <translation>Sign-in failed (%1).</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TicketDelegate</name>
    <message>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>On hold</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TicketFilterBar</name>
    <message>
        <source>Only tickets of this sector</source>
        <translation>Only tickets of this sector</translation>
    </message>
    <message>
        <source>Only tickets of this WhatsApp connection</source>
        <translation>Only tickets of this WhatsApp connection</translation>
    </message>
    <message>
        <source>Only tickets with this tag</source>
        <translation>Only tickets with this tag</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>Sector</source>
        <translation>Sector</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TicketListPanel</name>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Search messages and contacts</source>
        <translation>Search messages and contacts</translation>
    </message>
    <message>
        <source>Search failed (%1).</source>
        <translation>Search failed (%1).</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Nothing found.</translation>
    </message>
    <message>
        <source>Counts are not shown while a tag filters</source>
        <translation>Counts are not shown while a tag filters</translation>
    </message>
    <message>
        <source>Filter by sector, connection or tag</source>
        <translation>Filter by sector, connection or tag</translation>
    </message>
    <message>
        <source>Filters are on (click to show them)</source>
        <translation>Filters are on (click to show them)</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TransferDialog</name>
    <message>
        <source>To a sector</source>
        <translation>To a sector</translation>
    </message>
    <message>
        <source>To an agent</source>
        <translation>To an agent</translation>
    </message>
    <message>
        <source>Transfer ticket</source>
        <translation>Transfer ticket</translation>
    </message>
    <message>
        <source>Why? (optional, kept in the timeline)</source>
        <translation>Why? (optional, kept in the timeline)</translation>
    </message>
    <message>
        <source>Choose a sector</source>
        <translation>Choose a sector</translation>
    </message>
    <message>
        <source>Choose an agent</source>
        <translation>Choose an agent</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>atende::app::core::NetworkErrors</name>
    <message>
        <source>Connection refused: is the server running?</source>
        <translation>Connection refused: is the server running?</translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation>The server closed the connection.</translation>
    </message>
    <message>
        <source>Server name not found.</source>
        <translation>Server name not found.</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>The server did not answer in time.</translation>
    </message>
    <message>
        <source>Secure connection failed (TLS handshake).</source>
        <translation>Secure connection failed (TLS handshake).</translation>
    </message>
    <message>
        <source>The network is not available.</source>
        <translation>The network is not available.</translation>
    </message>
    <message>
        <source>The proxy could not be used.</source>
        <translation>The proxy could not be used.</translation>
    </message>
    <message numerus="yes">
        <source>No answer within %n second(s).</source>
        <translation>
            <numerusform>No answer within %n second.</numerusform>
            <numerusform>No answer within %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>atende::app::core::ServerMonitor</name>
    <message>
        <source>The server answered /healthz with HTTP %1.</source>
        <translation>The server answered /healthz with HTTP %1.</translation>
    </message>
    <message>
        <source>The server is running but not ready: its database is not available.</source>
        <translation>The server is running but not ready: its database is not available.</translation>
    </message>
    <message>
        <source>The server is running but not ready: %1</source>
        <translation>The server is running but not ready: %1</translation>
    </message>
    <message>
        <source>The server answered /readyz with HTTP %1.</source>
        <translation>The server answered /readyz with HTTP %1.</translation>
    </message>
    <message>
        <source>Real-time channel: %1</source>
        <translation>Real-time channel: %1</translation>
    </message>
    <message>
        <source>The server closed the real-time channel.</source>
        <translation>The server closed the real-time channel.</translation>
    </message>
    <message>
        <source>the server refused it (%1)</source>
        <translation>the server refused it (%1)</translation>
    </message>
</context>
<context>
    <name>atende::app::core::Session</name>
    <message>
        <source>This system has no keychain, so the sign-in is not remembered.</source>
        <translation>This system has no keychain, so the sign-in is not remembered.</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1), so the sign-in is not remembered.</source>
        <translation>The system keychain is not available (%1), so the sign-in is not remembered.</translation>
    </message>
</context>
<context>
    <name>atende::app::core::StartupOptionsParser</name>
    <message>
        <source>Atende: customer service over WhatsApp.</source>
        <translation>Atende: customer service over WhatsApp.</translation>
    </message>
    <message>
        <source>Address of the Atende server (default: $%1, the saved setting, or %2).</source>
        <translation>Address of the Atende server (default: $%1, the saved setting, or %2).</translation>
    </message>
    <message>
        <source>url</source>
        <translation>url</translation>
    </message>
    <message>
        <source>Language of the interface, for example pt_BR or en.</source>
        <translation>Language of the interface, for example pt_BR or en.</translation>
    </message>
    <message>
        <source>locale</source>
        <translation>locale</translation>
    </message>
    <message>
        <source>Colour scheme: system, light or dark.</source>
        <translation>Colour scheme: system, light or dark.</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>theme</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Unexpected argument: %1</translation>
    </message>
    <message>
        <source>Not a valid server address (http or https): %1</source>
        <translation>Not a valid server address (http or https): %1</translation>
    </message>
    <message>
        <source>Unknown language: %1</source>
        <translation>Unknown language: %1</translation>
    </message>
    <message>
        <source>Unknown theme: %1 (use system, light or dark)</source>
        <translation>Unknown theme: %1 (use system, light or dark)</translation>
    </message>
</context>
<context>
    <name>atende::app::models::TicketListModel</name>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
</context>
<context>
    <name>atende::app::ui::ConnectionCard</name>
    <message>
        <source>Server version</source>
        <translation>Server version</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latency</translation>
    </message>
    <message>
        <source>Real-time channel</source>
        <translation>Real-time channel</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>Try now</source>
        <translation>Try now</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connected</translation>
    </message>
    <message>
        <source>Limited service</source>
        <translation>Limited service</translation>
    </message>
    <message>
        <source>Server unreachable</source>
        <translation>Server unreachable</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Connecting</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connected to %1</translation>
    </message>
    <message>
        <source>Connected to %1, but the server is not fully working.</source>
        <translation>Connected to %1, but the server is not fully working.</translation>
    </message>
    <message>
        <source>Cannot reach %1.</source>
        <translation>Cannot reach %1.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Waiting for the server</source>
        <translation>Waiting for the server</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnecting…</translation>
    </message>
    <message>
        <source>None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>Trying again…</source>
        <translation>Trying again…</translation>
    </message>
    <message numerus="yes">
        <source>Trying again in %n second(s).</source>
        <translation>
            <numerusform>Trying again in %n second.</numerusform>
            <numerusform>Trying again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking again automatically.</source>
        <translation>Checking again automatically.</translation>
    </message>
    <message>
        <source>Waiting for the server to answer…</source>
        <translation>Waiting for the server to answer…</translation>
    </message>
    <message>
        <source>Checked every few seconds.</source>
        <translation>Checked every few seconds.</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>at %1</translation>
    </message>
</context>
<context>
    <name>atende::app::ui::HeaderBar</name>
    <message>
        <source>Customer service on WhatsApp</source>
        <translation>Customer service on WhatsApp</translation>
    </message>
</context>
<context>
    <name>atende::app::ui::MainWindow</name>
    <message>
        <source>Atende %1</source>
        <translation>Atende %1</translation>
    </message>
    <message>
        <source>%1 · %2 ms</source>
        <translation>%1 · %2 ms</translation>
    </message>
</context>
</TS>
