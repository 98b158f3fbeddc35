<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>atende::app::core::NetworkErrors</name>
    <message>
        <source>Connection refused: is the server running?</source>
        <translation>Conexão recusada: o servidor está em execução?</translation>
    </message>
    <message>
        <source>The server closed the connection.</source>
        <translation>O servidor encerrou a conexão.</translation>
    </message>
    <message>
        <source>Server name not found.</source>
        <translation>Nome do servidor não encontrado.</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>O servidor não respondeu a tempo.</translation>
    </message>
    <message>
        <source>Secure connection failed (TLS handshake).</source>
        <translation>Falha na conexão segura (handshake TLS).</translation>
    </message>
    <message>
        <source>The network is not available.</source>
        <translation>A rede não está disponível.</translation>
    </message>
    <message>
        <source>The proxy could not be used.</source>
        <translation>Não foi possível usar o proxy.</translation>
    </message>
    <message numerus="yes">
        <source>No answer within %n second(s).</source>
        <translation>
            <numerusform>Sem resposta em %n segundo.</numerusform>
            <numerusform>Sem resposta em %n segundos.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>atende::app::core::ServerMonitor</name>
    <message>
        <source>The server answered /healthz with HTTP %1.</source>
        <translation>O servidor respondeu a /healthz com HTTP %1.</translation>
    </message>
    <message>
        <source>The server is running but not ready: its database is not available.</source>
        <translation>O servidor está no ar, mas não está pronto: o banco de dados não está disponível.</translation>
    </message>
    <message>
        <source>The server is running but not ready: %1</source>
        <translation>O servidor está no ar, mas não está pronto: %1</translation>
    </message>
    <message>
        <source>The server answered /readyz with HTTP %1.</source>
        <translation>O servidor respondeu a /readyz com HTTP %1.</translation>
    </message>
    <message>
        <source>Real-time channel: %1</source>
        <translation>Canal em tempo real: %1</translation>
    </message>
    <message>
        <source>The server closed the real-time channel.</source>
        <translation>O servidor encerrou o canal em tempo real.</translation>
    </message>
    <message>
        <source>the server refused it (%1)</source>
        <translation>o servidor o recusou (%1)</translation>
    </message>
</context>
<context>
    <name>atende::app::core::StartupOptionsParser</name>
    <message>
        <source>Atende: customer service over WhatsApp.</source>
        <translation>Atende: atendimento ao cliente pelo WhatsApp.</translation>
    </message>
    <message>
        <source>Address of the Atende server (default: $%1, the saved setting, or %2).</source>
        <translation>Endereço do servidor Atende (padrão: $%1, a configuração salva ou %2).</translation>
    </message>
    <message>
        <source>url</source>
        <translation>url</translation>
    </message>
    <message>
        <source>Language of the interface, for example pt_BR or en.</source>
        <translation>Idioma da interface, por exemplo pt_BR ou en.</translation>
    </message>
    <message>
        <source>locale</source>
        <translation>idioma</translation>
    </message>
    <message>
        <source>Colour scheme: system, light or dark.</source>
        <translation>Esquema de cores: system (do sistema), light (claro) ou dark (escuro).</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>tema</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>Argumento inesperado: %1</translation>
    </message>
    <message>
        <source>Not a valid server address (http or https): %1</source>
        <translation>Endereço de servidor inválido (use http ou https): %1</translation>
    </message>
    <message>
        <source>Unknown language: %1</source>
        <translation>Idioma desconhecido: %1</translation>
    </message>
    <message>
        <source>Unknown theme: %1 (use system, light or dark)</source>
        <translation>Tema desconhecido: %1 (use system, light ou dark)</translation>
    </message>
</context>
<context>
    <name>atende::app::ui::ConnectionCard</name>
    <message>
        <source>Server version</source>
        <translation>Versão do servidor</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latência</translation>
    </message>
    <message>
        <source>Real-time channel</source>
        <translation>Canal em tempo real</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Último erro</translation>
    </message>
    <message>
        <source>Try now</source>
        <translation>Tentar agora</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Limited service</source>
        <translation>Serviço limitado</translation>
    </message>
    <message>
        <source>Server unreachable</source>
        <translation>Servidor inacessível</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Conectando</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Conectando a %1…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Conectado a %1</translation>
    </message>
    <message>
        <source>Connected to %1, but the server is not fully working.</source>
        <translation>Conectado a %1, mas o servidor não está funcionando por completo.</translation>
    </message>
    <message>
        <source>Cannot reach %1.</source>
        <translation>Não foi possível alcançar %1.</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Aberto</translation>
    </message>
    <message>
        <source>Waiting for the server</source>
        <translation>Aguardando o servidor</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Abrindo…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconectando…</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Nenhum</translation>
    </message>
    <message>
        <source>Trying again…</source>
        <translation>Tentando novamente…</translation>
    </message>
    <message numerus="yes">
        <source>Trying again in %n second(s).</source>
        <translation>
            <numerusform>Tentando novamente em %n segundo.</numerusform>
            <numerusform>Tentando novamente em %n segundos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking again automatically.</source>
        <translation>Nova verificação automática em instantes.</translation>
    </message>
    <message>
        <source>Waiting for the server to answer…</source>
        <translation>Aguardando a resposta do servidor…</translation>
    </message>
    <message>
        <source>Checked every few seconds.</source>
        <translation>Verificado a cada poucos segundos.</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>às %1</translation>
    </message>
</context>
<context>
    <name>atende::app::ui::HeaderBar</name>
    <message>
        <source>Customer service on WhatsApp</source>
        <translation>Atendimento pelo WhatsApp</translation>
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
