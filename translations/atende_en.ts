<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
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
