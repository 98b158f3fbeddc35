<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name>EmojiPicker</name>
    <message>
        <source>Smileys</source>
        <translation>Carinhas</translation>
    </message>
    <message>
        <source>Gestures</source>
        <translation>Gestos</translation>
    </message>
    <message>
        <source>Hearts and symbols</source>
        <translation>Corações e símbolos</translation>
    </message>
    <message>
        <source>Objects</source>
        <translation>Objetos</translation>
    </message>
    <message>
        <source>Nature, food and travel</source>
        <translation>Natureza, comida e viagem</translation>
    </message>
</context>
<context>
    <name>atende::app::console::CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation>Paleta de comandos</translation>
    </message>
    <message>
        <source>Type an action…</source>
        <translation>Digite uma ação…</translation>
    </message>
</context>
<context>
    <name>atende::app::console::Composer</name>
    <message>
        <source>Internal note (Ctrl+N)</source>
        <translation>Nota interna (Ctrl+N)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Type a message — / for quick replies</source>
        <translation>Digite uma mensagem — / para respostas rápidas</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>Emoji</translation>
    </message>
    <message>
        <source>Do not reply to this message</source>
        <translation>Não responder a esta mensagem</translation>
    </message>
    <message>
        <source>Internal note, only your team sees it — @ mentions a colleague</source>
        <translation>Nota interna, só a sua equipe vê — @ menciona um colega</translation>
    </message>
    <message>
        <source>Replying to: %1</source>
        <translation>Respondendo a: %1</translation>
    </message>
</context>
<context>
    <name>atende::app::console::ConsoleWindow</name>
    <message>
        <source>The server cannot be reached. Trying again…</source>
        <translation>O servidor não está acessível. Tentando novamente…</translation>
    </message>
    <message>
        <source>No ticket open</source>
        <translation>Nenhum ticket aberto</translation>
    </message>
    <message>
        <source>Choose a ticket on the left, or press Ctrl+K</source>
        <translation>Escolha um ticket à esquerda ou pressione Ctrl+K</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Aceitar</translation>
    </message>
    <message>
        <source>Accept next waiting</source>
        <translation>Aceitar o próximo da fila</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Transferir…</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Retomar</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>Encerrar…</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reabrir</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Adicionar etiqueta…</translation>
    </message>
    <message>
        <source>Toggle internal note</source>
        <translation>Alternar nota interna</translation>
    </message>
    <message>
        <source>Next ticket</source>
        <translation>Próximo ticket</translation>
    </message>
    <message>
        <source>Previous ticket</source>
        <translation>Ticket anterior</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Pesquisar</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Responder</translation>
    </message>
    <message>
        <source>Command palette</source>
        <translation>Paleta de comandos</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atalhos de teclado</translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>Não perturbe</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sair</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 falhou: %2</translation>
    </message>
    <message>
        <source>Another agent accepted this ticket first.</source>
        <translation>Outro atendente aceitou este ticket antes.</translation>
    </message>
    <message>
        <source>No ticket is waiting.</source>
        <translation>Nenhum ticket na fila.</translation>
    </message>
    <message>
        <source>Accept next</source>
        <translation>Aceitar o próximo</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transferir</translation>
    </message>
    <message>
        <source>Ticket transferred.</source>
        <translation>Ticket transferido.</translation>
    </message>
    <message>
        <source>Close ticket</source>
        <translation>Encerrar ticket</translation>
    </message>
    <message>
        <source>Closing message to the customer (optional):</source>
        <translation>Mensagem de encerramento para o cliente (opcional):</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Encerrar</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Adicionar etiqueta</translation>
    </message>
    <message>
        <source>Tag:</source>
        <translation>Etiqueta:</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Envio</translation>
    </message>
    <message>
        <source>Fill in before sending: %1</source>
        <translation>Preencha antes de enviar: %1</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Enviar a mensagem</translation>
    </message>
    <message>
        <source>Shift+Enter</source>
        <translation>Shift+Enter</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>Nova linha</translation>
    </message>
    <message>
        <source>Quick replies</source>
        <translation>Respostas rápidas</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>New ticket waiting</source>
        <translation>Novo ticket na fila</translation>
    </message>
    <message>
        <source>Ticket transferred to you</source>
        <translation>Ticket transferido para você</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Nova mensagem</translation>
    </message>
    <message>
        <source>You were mentioned</source>
        <translation>Você foi mencionado</translation>
    </message>
    <message numerus="yes">
        <source>Atende — %n unread message(s)</source>
        <translation>
            <numerusform>Atende — %n mensagem não lida</numerusform>
            <numerusform>Atende — %n mensagens não lidas</numerusform>
        </translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Marcar como lida</translation>
    </message>
    <message>
        <source>Insert emoji…</source>
        <translation>Inserir emoji…</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>Notificações na área de trabalho</translation>
    </message>
    <message>
        <source>Notification sound</source>
        <translation>Som de notificação</translation>
    </message>
    <message>
        <source>Filter by sector…</source>
        <translation>Filtrar por setor…</translation>
    </message>
    <message>
        <source>Filter by connection…</source>
        <translation>Filtrar por conexão…</translation>
    </message>
    <message>
        <source>Filter by tag…</source>
        <translation>Filtrar por etiqueta…</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Limpar filtros</translation>
    </message>
    <message>
        <source>Removing the tag</source>
        <translation>A remoção da etiqueta</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>O reenvio</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <source>Remove “%1”</source>
        <translation>Remover “%1”</translation>
    </message>
    <message>
        <source>Open contact</source>
        <translation>Abrir contato</translation>
    </message>
    <message>
        <source>(media)</source>
        <translation>(mídia)</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Copiar texto</translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation>Tentar enviar de novo</translation>
    </message>
</context>
<context>
    <name>atende::app::console::ConversationPanel</name>
    <message>
        <source>customer is typing…</source>
        <translation>cliente está digitando…</translation>
    </message>
</context>
<context>
    <name>atende::app::console::DetailsPanel</name>
    <message>
        <source>CONTACT</source>
        <translation>CONTATO</translation>
    </message>
    <message>
        <source>TICKET</source>
        <translation>TICKET</translation>
    </message>
    <message>
        <source>TIMELINE</source>
        <translation>HISTÓRICO</translation>
    </message>
    <message>
        <source>EARLIER TICKETS</source>
        <translation>TICKETS ANTERIORES</translation>
    </message>
    <message>
        <source>No ticket open</source>
        <translation>Nenhum ticket aberto</translation>
    </message>
    <message>
        <source>With the bot</source>
        <translation>Com o robô</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Na fila</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>Em atendimento</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Em pausa</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Encerrado</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Na fila</translation>
    </message>
    <message>
        <source>Left the bot</source>
        <translation>Saiu do robô</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Aceito</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Atribuído</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>Transferido</translation>
    </message>
    <message>
        <source>Put on hold</source>
        <translation>Pausado</translation>
    </message>
    <message>
        <source>Resumed</source>
        <translation>Retomado</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Reaberto</translation>
    </message>
    <message>
        <source>Tagged</source>
        <translation>Etiquetado</translation>
    </message>
    <message>
        <source>Tag removed</source>
        <translation>Etiqueta removida</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>Primeira resposta</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>Etiquetas: %1</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Estado: %1</translation>
    </message>
    <message>
        <source>Sector: %1</source>
        <translation>Setor: %1</translation>
    </message>
    <message>
        <source>general queue</source>
        <translation>fila geral</translation>
    </message>
    <message>
        <source>Agent: %1</source>
        <translation>Atendente: %1</translation>
    </message>
    <message>
        <source>No earlier tickets.</source>
        <translation>Nenhum ticket anterior.</translation>
    </message>
</context>
<context>
    <name>atende::app::console::EmojiPicker</name>
    <message>
        <source>Search emoji</source>
        <translation>Pesquisar emoji</translation>
    </message>
</context>
<context>
    <name>atende::app::console::MessageDelegate</name>
    <message>
        <source>Not sent · retry</source>
        <translation>Não enviada · tentar de novo</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Áudio</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>Sticker</source>
        <translation>Figurinha</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Localização</translation>
    </message>
    <message>
        <source>Contact card</source>
        <translation>Cartão de contato</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>Anexo</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ontem</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Nota interna</translation>
    </message>
</context>
<context>
    <name>atende::app::console::SignInPage</name>
    <message>
        <source>Remember me on this computer</source>
        <translation>Lembrar de mim neste computador</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Entrar</translation>
    </message>
    <message>
        <source>you@company.com</source>
        <translation>voce@empresa.com.br</translation>
    </message>
    <message>
        <source>Sign in to Atende</source>
        <translation>Entrar no Atende</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Senha</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Entrando…</translation>
    </message>
    <message>
        <source>Wrong e-mail or password.</source>
        <translation>E-mail ou senha incorretos.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your connection.</source>
        <translation>O servidor não está acessível. Verifique o endereço e a sua conexão.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a moment and try again.</source>
        <translation>Muitas tentativas. Aguarde um momento e tente novamente.</translation>
    </message>
    <message>
        <source>Your session expired. Sign in again; your drafts are kept.</source>
        <translation>Sua sessão expirou. Entre novamente; seus rascunhos foram mantidos.</translation>
    </message>
    <message>
        <source>Sign-in failed (%1).</source>
        <translation>Falha ao entrar (%1).</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TicketDelegate</name>
    <message>
        <source>Yesterday</source>
        <translation>Ontem</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Em pausa</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TicketFilterBar</name>
    <message>
        <source>Only tickets of this sector</source>
        <translation>Só tickets deste setor</translation>
    </message>
    <message>
        <source>Only tickets of this WhatsApp connection</source>
        <translation>Só tickets desta conexão de WhatsApp</translation>
    </message>
    <message>
        <source>Only tickets with this tag</source>
        <translation>Só tickets com esta etiqueta</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Limpar filtros</translation>
    </message>
    <message>
        <source>Sector</source>
        <translation>Setor</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexão</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TicketListPanel</name>
    <message>
        <source>Waiting</source>
        <translation>Na fila</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meus</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Equipe</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Encerrado</translation>
    </message>
    <message>
        <source>Search messages and contacts</source>
        <translation>Pesquisar mensagens e contatos</translation>
    </message>
    <message>
        <source>Search failed (%1).</source>
        <translation>A pesquisa falhou (%1).</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>Nada encontrado.</translation>
    </message>
    <message>
        <source>Counts are not shown while a tag filters</source>
        <translation>As contagens não aparecem enquanto uma etiqueta filtra</translation>
    </message>
    <message>
        <source>Filter by sector, connection or tag</source>
        <translation>Filtrar por setor, conexão ou etiqueta</translation>
    </message>
    <message>
        <source>Filters are on (click to show them)</source>
        <translation>Há filtros ativos (clique para vê-los)</translation>
    </message>
</context>
<context>
    <name>atende::app::console::TransferDialog</name>
    <message>
        <source>To a sector</source>
        <translation>Para um setor</translation>
    </message>
    <message>
        <source>To an agent</source>
        <translation>Para um atendente</translation>
    </message>
    <message>
        <source>Transfer ticket</source>
        <translation>Transferir ticket</translation>
    </message>
    <message>
        <source>Why? (optional, kept in the timeline)</source>
        <translation>Por quê? (opcional, fica no histórico)</translation>
    </message>
    <message>
        <source>Choose a sector</source>
        <translation>Escolha um setor</translation>
    </message>
    <message>
        <source>Choose an agent</source>
        <translation>Escolha um atendente</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transferir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
</context>
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
    <name>atende::app::core::Session</name>
    <message>
        <source>This system has no keychain, so the sign-in is not remembered.</source>
        <translation>Este sistema não tem chaveiro, então o acesso não será lembrado.</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1), so the sign-in is not remembered.</source>
        <translation>O chaveiro do sistema não está disponível (%1), então o acesso não será lembrado.</translation>
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
    <name>atende::app::models::TicketListModel</name>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
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
