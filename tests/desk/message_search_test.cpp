// search.query (Portuguese stemming, accents, scope, notes, contacts by prefix, escaped snippets),
// contacts.history across tickets and connections, and note mentions.

#include "tests/desk/messages_fixture.h"

#include "server/desk/search_repository.h"
#include "tests/desk/sql_plan.h"
#include "tests/support/status_assertions.h"

#include <QSet>
#include <QThread>

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;
using server::desk::IngestResult;

namespace {

QSet<std::string> messageIds(const v1::SearchResponse &r)
{
    QSet<std::string> out;
    for (const v1::SearchHit &h : r.hits())
        if (!h.message_id().empty())
            out.insert(h.message_id());
    return out;
}

} // namespace

class MessageSearchTest : public MessagesTest {
protected:
    Result<v1::SearchResponse> query(const DeskPerson &who, const std::string &text,
                                     std::initializer_list<const char *> kinds = {})
    {
        v1::SearchRequest req;
        req.set_query(text);
        for (const char *k : kinds)
            req.add_kinds(k);
        return call<v1::SearchResponse>("search.query", who, req);
    }
};

TEST_F(MessageSearchTest, PortugueseStemmingAndAccents)
{
    const IngestResult a = receive(connection1, QStringLiteral("5511987654001"), QStringLiteral("Q-1"),
                                   QStringLiteral("Não recebi meu pedido"), QStringLiteral("Ana"));
    const IngestResult b = receive(connection1, QStringLiteral("5511987654002"), QStringLiteral("Q-2"),
                                   QStringLiteral("Os pedidos chegaram amassados"), QStringLiteral("Bruno"));
    receive(connection1, QStringLiteral("5511987654003"), QStringLiteral("Q-3"), QStringLiteral("Bom dia"));

    Result<v1::SearchResponse> r = query(agentA, "nao", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(messageIds(r.value()), QSet<std::string>{text(a.messageId).toStdString()});
    ASSERT_EQ(r->hits_size(), 1);
    EXPECT_EQ(uuid(r->hits(0).ticket_id()), a.ticketId);
    EXPECT_EQ(r->hits(0).kind(), "message");
    EXPECT_EQ(r->hits(0).contact().name(), "Ana");
    EXPECT_NE(r->hits(0).snippet().find("<mark>Não</mark>"), std::string::npos) << r->hits(0).snippet();

    r = query(agentA, "pedidos", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(messageIds(r.value()),
              (QSet<std::string>{text(a.messageId).toStdString(), text(b.messageId).toStdString()}));
    r = query(agentA, "\"pedido chegou\"", {"messages"}); // a phrase, stemmed
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(messageIds(r.value()), QSet<std::string>{text(b.messageId).toStdString()});
    r = query(agentA, "pedido -amassado", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(messageIds(r.value()), QSet<std::string>{text(a.messageId).toStdString()});
    EXPECT_TRUE(isError(query(agentA, "  "), core::errc::kInvalidArgument));
    EXPECT_TRUE(isError(query(agentA, "x", {"tickets"}), core::errc::kInvalidArgument));
}

TEST_F(MessageSearchTest, SnippetsAreEscaped)
{
    receive(connection1, QStringLiteral("5511987654004"), QStringLiteral("Q-4"),
            QStringLiteral("<img src=x onerror=alert(1)> pedido & 2 < 3 > 1 \x01\x02 fim"));
    Result<v1::SearchResponse> r = query(agentA, "pedido", {"messages"});
    ASSERT_TRUE(isOk(r));
    ASSERT_EQ(r->hits_size(), 1);
    const std::string snippet = r->hits(0).snippet();
    EXPECT_NE(snippet.find("<mark>pedido</mark>"), std::string::npos) << snippet;
    // ts_headline picks the words around the match; whatever it picks is escaped.
    EXPECT_EQ(server::desk::snippetHtml(QStringLiteral("a <b>\x01x\x02</b> & \"q\"")),
              QStringLiteral("a &lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &quot;q&quot;"));
    // Nothing but the marks is markup, and the body's own marker characters are gone.
    QString rest = QString::fromStdString(snippet);
    rest.remove(QStringLiteral("<mark>")).remove(QStringLiteral("</mark>"));
    EXPECT_FALSE(rest.contains(QLatin1Char('<')) || rest.contains(QLatin1Char('>'))) << snippet;
    EXPECT_FALSE(rest.contains(QChar(0x01)) || rest.contains(QChar(0x02))) << snippet;
}

TEST_F(MessageSearchTest, AgentsFindOnlyMessagesOfTicketsTheySee)
{
    const QUuid sales = createSector(adminA.tenantId, QStringLiteral("Vendas"));
    const QUuid support = createSector(adminA.tenantId, QStringLiteral("Suporte"));
    addToSector(agentA, support);
    const IngestResult inSales = receive(connection1, QStringLiteral("5511987654005"), QStringLiteral("Q-5"),
                                         QStringLiteral("Quero um orçamento"));
    const IngestResult inSupport = receive(connection1, QStringLiteral("5511987654006"), QStringLiteral("Q-6"),
                                           QStringLiteral("Meu orçamento veio errado"));
    const IngestResult mineElsewhere = receive(connection2, QStringLiteral("5511987654007"), QStringLiteral("Q-7"),
                                               QStringLiteral("orçamento atrasado"));
    assign(inSales.ticketId, agentA2, sales);
    assign(inSupport.ticketId, agentA2, support);
    assign(mineElsewhere.ticketId, agentA, sales); // not agentA's sector, but assigned to agentA

    Result<v1::SearchResponse> r = query(agentA, "orcamento", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(messageIds(r.value()), (QSet<std::string>{text(inSupport.messageId).toStdString(),
                                                        text(mineElsewhere.messageId).toStdString()}));
    r = query(supervisorA, "orcamento", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 3);
    r = query(adminB, "orcamento");
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 0);
    // Nor can the agent read the sales ticket's pages or history directly.
    v1::ListMessagesRequest list;
    list.set_ticket_id(text(inSales.ticketId).toStdString());
    EXPECT_TRUE(isError(call<v1::ListMessagesResponse>("messages.list", agentA, list), core::errc::kNotFound));
}

TEST_F(MessageSearchTest, NotesAndContactsAreFound)
{
    const IngestResult in = receive(connection1, QStringLiteral("5511987654321"), QStringLiteral("Q-8"),
                                    QStringLiteral("oi"), QStringLiteral("Mariana Lima"));
    v1::AddNoteRequest note;
    note.set_ticket_id(text(in.ticketId).toStdString());
    note.set_body("Cliente prioritária, reembolsar frete");
    Result<v1::Message> n = call<v1::Message>("messages.note", agentA, note);
    ASSERT_TRUE(isOk(n));
    EXPECT_EQ(n->kind(), "note");
    EXPECT_EQ(n->status(), "none");

    Result<v1::SearchResponse> r = query(agentA, "reembolso", {"notes"});
    ASSERT_TRUE(isOk(r));
    ASSERT_EQ(r->hits_size(), 1);
    EXPECT_EQ(r->hits(0).kind(), "note");
    EXPECT_EQ(r->hits(0).message_id(), n->id());
    r = query(agentA, "reembolso", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 0);

    for (const char *typed : {"Mari", "mar", "5511987", "+55 11 98765"}) {
        r = query(agentA, typed, {"contacts"});
        ASSERT_TRUE(isOk(r)) << typed;
        ASSERT_EQ(r->hits_size(), 1) << typed;
        EXPECT_EQ(r->hits(0).kind(), "contact");
        EXPECT_EQ(r->hits(0).contact().name(), "Mariana Lima");
        EXPECT_EQ(r->hits(0).contact().phone(), "5511987654321");
    }
    r = query(agentA, "Mari", {"contacts"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits(0).snippet(), "<mark>Mari</mark>ana Lima");
    r = query(agentA, "Lima", {"contacts"}); // a word of the name, not a prefix
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 1);
    r = query(agentA, "5599", {"contacts"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 0);
}

TEST_F(MessageSearchTest, HistorySpansTicketsAndConnections)
{
    const QString phone = QStringLiteral("5511987655555");
    const IngestResult first = receive(connection1, phone, QStringLiteral("H-1"), QStringLiteral("primeira"));
    receive(connection1, phone, QStringLiteral("H-2"), QStringLiteral("segunda"));
    const IngestResult other = receive(connection2, phone, QStringLiteral("H-3"), QStringLiteral("outro número"));
    ASSERT_EQ(first.contactId, other.contactId);
    ASSERT_NE(first.ticketId, other.ticketId);
    receive(connection2, phone, QStringLiteral("H-4"), QStringLiteral("quarta"));
    receive(connection1, QStringLiteral("5511900000001"), QStringLiteral("H-X"), QStringLiteral("outra pessoa"));

    v1::ContactHistoryRequest req;
    req.set_contact_id(text(first.contactId).toStdString());
    req.set_limit(3);
    Result<v1::ContactHistoryResponse> r = call<v1::ContactHistoryResponse>("contacts.history", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->tickets_size(), 2);
    ASSERT_EQ(r->messages_size(), 3);
    EXPECT_EQ(r->messages(0).body(), "quarta");
    EXPECT_EQ(r->messages(1).body(), "outro número");
    EXPECT_EQ(r->messages(2).body(), "segunda");
    ASSERT_FALSE(r->next_cursor().empty());
    req.set_before(r->next_cursor());
    r = call<v1::ContactHistoryResponse>("contacts.history", agentA, req);
    ASSERT_TRUE(isOk(r));
    ASSERT_EQ(r->messages_size(), 1);
    EXPECT_EQ(r->messages(0).body(), "primeira");
    EXPECT_TRUE(r->next_cursor().empty());

    // A ticket outside the agent's scope drops out of the agent's history (not the supervisor's).
    assign(other.ticketId, agentA2, createSector(adminA.tenantId, QStringLiteral("Vendas")));
    req.clear_before();
    req.set_limit(0);
    r = call<v1::ContactHistoryResponse>("contacts.history", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->tickets_size(), 1);
    EXPECT_EQ(r->messages_size(), 2);
    r = call<v1::ContactHistoryResponse>("contacts.history", supervisorA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->messages_size(), 4);
    EXPECT_TRUE(isError(call<v1::ContactHistoryResponse>("contacts.history", adminB, req), core::errc::kNotFound));
}

TEST_F(MessageSearchTest, MentionsAlertOnlyTheMentionedUser)
{
    const IngestResult in =
        receive(connection1, QStringLiteral("5511987656666"), QStringLiteral("M-1"), QStringLiteral("oi"));
    v1::AddNoteRequest note;
    note.set_ticket_id(text(in.ticketId).toStdString());
    note.set_body("@agente2 pode ver isso?");
    note.add_mention_user_ids(text(agentA2.userId).toStdString());
    Result<v1::Message> n = call<v1::Message>("messages.note", agentA, note);
    ASSERT_TRUE(isOk(n));
    ASSERT_EQ(n->mentions_size(), 1);
    const auto mentionsOf = [&](const DeskPerson &p) {
        int count = 0;
        for (const v1::MessageChanged &c : messageEvents(p))
            count += c.mentioned() && c.message().id() == n->id();
        return count;
    };
    EXPECT_EQ(mentionsOf(agentA2), 1);
    EXPECT_EQ(mentionsOf(agentA), 0);
    EXPECT_EQ(mentionsOf(supervisorA), 0);
    EXPECT_EQ(mentionsOf(adminA), 0);
    EXPECT_EQ(mentionsOf(adminB), 0);

    // Mentions must name users of the tenant.
    note.clear_mention_user_ids();
    note.add_mention_user_ids(text(adminB.userId).toStdString());
    Result<v1::Message> bad = call<v1::Message>("messages.note", agentA, note);
    ASSERT_TRUE(isError(bad, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(bad.error()), QStringLiteral("unknown_user"));
}

TEST_F(MessageSearchTest, ACommonWordWalksTheNewestMessagesInsteadOfRankingEveryMatch)
{
    // 30,000 messages that all contain "entrega", three with a rare word; then the planner's statistics. (Which
    // path a rare word takes depends on how many common words the statistics know; this corpus has one, so
    // only the common word's plan is pinned down.)
    const IngestResult in =
        receive(connection1, QStringLiteral("5511987654090"), QStringLiteral("P-0"), QStringLiteral("oi"));
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral("INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, "
                       "status, external_id, created_at) SELECT '%1', '%2', 1, '%3', '%4', 'inbound', "
                       "'a entrega ' || g || CASE WHEN g %% 10000 = 0 THEN ' xilofone' ELSE '' END, 'received', "
                       "'P-' || g, now() - g * interval '1 second' FROM generate_series(1, 30000) g; "
                       "ANALYZE messages;")
            .replace(QStringLiteral("%%"), QStringLiteral("%"))
            .arg(text(adminA.tenantId), text(in.ticketId), text(in.contactId), text(connection1))));

    server::desk::TicketScope supervisor;
    supervisor.all = true;
    server::desk::SearchQuery q;
    q.text = QStringLiteral("entrega");
    q.contacts = false;
    const QString common =
        planOf(m_conn->db(), server::desk::SearchRepository::messagesStatement(adminA.tenantId, supervisor, q));
    EXPECT_TRUE(common.contains(QStringLiteral("messages_recent_idx"))) << common.toStdString();
    EXPECT_FALSE(common.contains(QStringLiteral("Bitmap Heap Scan on messages"))) << common.toStdString();
    // And the answers: the 20 newest matches, newest first; the rare word finds exactly its three.
    Result<v1::SearchResponse> r = query(supervisorA, "entrega", {"messages"});
    ASSERT_TRUE(isOk(r));
    ASSERT_EQ(r->hits_size(), 20);
    for (int i = 1; i < r->hits_size(); ++i)
        EXPECT_GT(r->hits(i - 1).created_at(), r->hits(i).created_at());
    EXPECT_EQ(r->hits(0).message_id(),
              scalar(QStringLiteral("SELECT id FROM messages WHERE external_id = 'P-1'")).toString().toStdString());
    r = query(supervisorA, "xilofone", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 3);
}

TEST_F(MessageSearchTest, RareWordsAreReadThroughTheIndexUnderRowLevelSecurity)
{
    // Under RLS PostgreSQL will not use tsvector @@ tsquery (not LEAKPROOF) as an index condition; the probe
    // reads the GIN index through migration 0018's functions, which apply the tenant condition themselves.
    const IngestResult in =
        receive(connection1, QStringLiteral("5511987654091"), QStringLiteral("R-0"), QStringLiteral("oi"));
    ASSERT_TRUE(m_conn->exec(
        QStringLiteral("INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, "
                       "status, external_id, created_at) SELECT '%1', '%2', 1, '%3', '%4', 'inbound', "
                       "'a entrega ' || g || CASE WHEN g %% 1000 = 0 THEN ' xilofone' ELSE '' END, 'received', "
                       "'R-' || g, now() - g * interval '1 second' FROM generate_series(1, 5000) g; "
                       "ANALYZE messages;")
            .replace(QStringLiteral("%%"), QStringLiteral("%"))
            .arg(text(adminA.tenantId), text(in.ticketId), text(in.contactId), text(connection1))));
    const auto probeAs = [this](const QString &tenant) {
        EXPECT_TRUE(m_conn->exec(QStringLiteral("BEGIN; SET LOCAL ROLE atende_app; "
                                                "SELECT set_config('app.tenant_id', '%1', true)")
                                     .arg(tenant)));
        const int n = scalar(QStringLiteral("SELECT count(*) FROM search_message_ids('xilofone', "
                                            "'{inbound,outbound}', 1001)"))
                          .toInt();
        EXPECT_TRUE(m_conn->exec(QStringLiteral("ROLLBACK")));
        return n;
    };
    EXPECT_EQ(probeAs(text(adminA.tenantId)), 5);
    EXPECT_EQ(probeAs(text(adminB.tenantId)), 0); // another tenant sees none of them
    EXPECT_EQ(probeAs(QString()), 0);             // no tenant: nothing

    // Through the API: the rare word's probe reads messages_search_idx (the statistics collector says so).
    const auto indexScans = [this] {
        return scalar(QStringLiteral("SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = "
                                     "'messages_search_idx'"))
            .toLongLong();
    };
    const qint64 before = indexScans();
    Result<v1::SearchResponse> r = query(supervisorA, "xilofone", {"messages"});
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->hits_size(), 5);
    qint64 after = before;
    for (int i = 0; i < 50 && after == before; ++i) { // statistics reach the view within about a second
        QThread::msleep(100);
        after = indexScans();
    }
    EXPECT_GT(after, before);
}

} // namespace atende::test
