// Quick replies (issue 4 item 5): scopes, who may manage what, shortcuts, variables filled for a ticket,
// visibility of the ticket, and events only to the users who may use a reply.

#include "server/api/permissions.h"
#include "server/desk/quick_reply_operations.h"
#include "server/desk/reply_template.h"
#include "tests/desk/desk_fixture.h"

#include "atende/api/v1/quick_replies.pb.h"

#include <QDateTime>
#include <QTimeZone>

namespace atende::test {
namespace {

namespace v1 = atende::api::v1;
using server::desk::renderTemplate;

class QuickRepliesTest : public DeskTest {
protected:
    void SetUp() override
    {
        DeskTest::SetUp();
        if (HasFatalFailure())
            return;
        m_replies = std::make_unique<server::desk::QuickRepliesService>(*m_db, m_hub.get());
        server::desk::addQuickReplyOperations(m_table, m_replies.get());
        const QString tid = text(adminA.tenantId);
        sectorX = QUuid::createUuid();
        sectorY = QUuid::createUuid();
        ASSERT_TRUE(
            m_conn->exec(QStringLiteral("INSERT INTO sectors (tenant_id, id, name) VALUES ('%1', '%2', 'Vendas'), "
                                        "('%1', '%3', 'Suporte')")
                             .arg(tid, text(sectorX), text(sectorY))));
        agentY = seedUser(adminA.tenantId, QStringLiteral("agent"), QStringLiteral("agent.y@acme.example"));
        ASSERT_TRUE(
            m_conn->exec(QStringLiteral("INSERT INTO user_sectors (tenant_id, user_id, sector_id) VALUES "
                                        "('%1', '%2', '%3'), ('%1', '%4', '%5')")
                             .arg(tid, text(agentA.userId), text(sectorX), text(agentY.userId), text(sectorY))));
        ASSERT_TRUE(m_conn->exec(
            QStringLiteral("UPDATE users SET name = 'Ana Souza' WHERE id = '%1'").arg(text(agentA.userId))));
        ticketX = ticketIn(sectorX, QStringLiteral("Maria da Silva"), QStringLiteral("5511987650001"));
        ticketY = ticketIn(sectorY, QStringLiteral("João Pereira"), QStringLiteral("5511987650002"));
    }
    void TearDown() override
    {
        m_replies.reset();
        DeskTest::TearDown();
    }

    // A waiting ticket of a new contact in `sector`, written as the superuser.
    QUuid ticketIn(const QUuid &sector, const QString &name, const QString &phone)
    {
        const QString tid = text(adminA.tenantId);
        const QUuid contact = QUuid::createUuid(), connection = QUuid::createUuid(), ticket = QUuid::createUuid();
        EXPECT_TRUE(m_conn->exec(
            QStringLiteral("INSERT INTO contacts (tenant_id, id, name, phone) VALUES ('%1', '%2', '%3', '%4');"
                           "INSERT INTO connections (tenant_id, id, name, kind) VALUES ('%1', '%5', 'Loja', 'test');"
                           "INSERT INTO tickets (tenant_id, id, contact_id, connection_id, sector_id, state) "
                           "VALUES ('%1', '%6', '%2', '%5', '%7', 'waiting')")
                .arg(tid, text(contact), name, phone, text(connection), text(ticket), text(sector))));
        return ticket;
    }

    core::Result<v1::QuickReply> create(const DeskPerson &who, const char *scope, const QString &shortcut,
                                        const QString &body, const QUuid &sector = {})
    {
        v1::CreateQuickReplyRequest req;
        req.set_scope(scope);
        req.set_shortcut(shortcut.toStdString());
        req.set_body(body.toStdString());
        if (!sector.isNull())
            req.set_sector_id(text(sector).toStdString());
        return call<v1::QuickReply>("quick_replies.create", who, req);
    }

    QStringList shortcutsFor(const DeskPerson &who)
    {
        core::Result<v1::ListQuickRepliesResponse> r =
            call<v1::ListQuickRepliesResponse>("quick_replies.list", who, v1::ListQuickRepliesRequest());
        EXPECT_TRUE(r.ok());
        QStringList out;
        if (r.ok())
            for (const v1::QuickReply &q : r->quick_replies())
                out.append(QString::fromStdString(q.scope() + ":" + q.shortcut()));
        return out;
    }

    core::Result<v1::RenderQuickReplyResponse> render(const DeskPerson &who, const QUuid &ticket,
                                                      const QString &shortcut, const QString &body = {})
    {
        v1::RenderQuickReplyRequest req;
        req.set_ticket_id(text(ticket).toStdString());
        req.set_shortcut(shortcut.toStdString());
        req.set_body(body.toStdString());
        return call<v1::RenderQuickReplyResponse>("quick_replies.render", who, req);
    }

    std::unique_ptr<server::desk::QuickRepliesService> m_replies;
    QUuid sectorX, sectorY, ticketX, ticketY;
    DeskPerson agentY;
};

TEST(ReplyTemplate, FillsKnownVariablesAndReportsTheRest)
{
    const QHash<QString, QString> values{{QStringLiteral("contact.first_name"), QStringLiteral("Maria")},
                                         {QStringLiteral("agent.name"), QStringLiteral("Ana")},
                                         {QStringLiteral("contact.email"), QString()}};
    const server::desk::RenderedText r = renderTemplate(
        QStringLiteral("Olá {{ contact.first_name }}, aqui é {{agent.name}}. {{contact.email}} {{nada}} {{nada}} "
                       "{x} {{ inacabado"),
        values);
    EXPECT_EQ(r.text, QStringLiteral("Olá Maria, aqui é Ana. {{contact.email}} {{nada}} {{nada}} {x} {{ inacabado"));
    EXPECT_EQ(r.missing, (QStringList{QStringLiteral("contact.email"), QStringLiteral("nada")}));
}

TEST(ReplyTemplate, GreetingFollowsTheLocalHourAndLanguage)
{
    const QTimeZone sp("America/Sao_Paulo");
    // 13:30 UTC is 10:30 in São Paulo (UTC-3): morning there, afternoon in UTC.
    const QDateTime utc(QDate(2026, 11, 28), QTime(13, 30), QTimeZone::utc());
    EXPECT_EQ(server::desk::greetingFor(utc.toTimeZone(sp), QStringLiteral("pt_BR")), QStringLiteral("Bom dia"));
    EXPECT_EQ(server::desk::greetingFor(utc, QStringLiteral("pt_BR")), QStringLiteral("Boa tarde"));
    EXPECT_EQ(server::desk::greetingFor(utc.addSecs(8 * 3600), QStringLiteral("en")), QStringLiteral("Good evening"));
    EXPECT_EQ(server::desk::firstName(QStringLiteral("  Maria da Silva ")), QStringLiteral("Maria"));
}

TEST_F(QuickRepliesTest, EachCallerListsPersonalThenTheirSectorsThenTheTenant)
{
    ASSERT_TRUE(create(adminA, "tenant", QStringLiteral("ola"), QStringLiteral("Olá!")).ok());
    ASSERT_TRUE(create(adminA, "sector", QStringLiteral("frete"), QStringLiteral("Frete grátis"), sectorX).ok());
    ASSERT_TRUE(create(adminA, "sector", QStringLiteral("reset"), QStringLiteral("Reinicie"), sectorY).ok());
    ASSERT_TRUE(create(agentA, "personal", QStringLiteral("/Meu"), QStringLiteral("Meu texto")).ok());

    EXPECT_EQ(shortcutsFor(agentA), (QStringList{QStringLiteral("personal:meu"), QStringLiteral("sector:frete"),
                                                 QStringLiteral("tenant:ola")}));
    EXPECT_EQ(shortcutsFor(agentY), (QStringList{QStringLiteral("sector:reset"), QStringLiteral("tenant:ola")}));
    // The admin supervises: every sector's, but nobody else's personal replies.
    EXPECT_EQ(shortcutsFor(adminA), (QStringList{QStringLiteral("sector:frete"), QStringLiteral("sector:reset"),
                                                 QStringLiteral("tenant:ola")}));
    EXPECT_TRUE(shortcutsFor(adminB).isEmpty());
}

TEST_F(QuickRepliesTest, AgentsManageOnlyTheirPersonalReplies)
{
    core::Result<v1::QuickReply> tenantWide = create(agentA, "tenant", QStringLiteral("ola"), QStringLiteral("Olá"));
    ASSERT_FALSE(tenantWide.ok());
    EXPECT_EQ(tenantWide.error().code, QLatin1String(core::errc::kPermissionDenied));

    core::Result<v1::QuickReply> shared = create(adminA, "tenant", QStringLiteral("ola"), QStringLiteral("Olá"));
    ASSERT_TRUE(shared.ok());
    v1::UpdateQuickReplyRequest upd;
    upd.set_id(shared->id());
    upd.set_body("Oi");
    core::Result<v1::QuickReply> byAgent = call<v1::QuickReply>("quick_replies.update", agentA, upd);
    ASSERT_FALSE(byAgent.ok());
    EXPECT_EQ(byAgent.error().code, QLatin1String(core::errc::kPermissionDenied));

    core::Result<v1::QuickReply> mine = create(agentA, "personal", QStringLiteral("meu"), QStringLiteral("Meu"));
    ASSERT_TRUE(mine.ok());
    v1::DeleteQuickReplyRequest del;
    del.set_id(mine->id());
    core::Result<v1::DeleteQuickReplyResponse> byOther =
        call<v1::DeleteQuickReplyResponse>("quick_replies.delete", agentY, del);
    ASSERT_FALSE(byOther.ok());
    EXPECT_EQ(byOther.error().code, QLatin1String(core::errc::kNotFound));
    // Tenant B's admin cannot reach it either.
    core::Result<v1::DeleteQuickReplyResponse> fromB =
        call<v1::DeleteQuickReplyResponse>("quick_replies.delete", adminB, del);
    ASSERT_FALSE(fromB.ok());
    EXPECT_EQ(fromB.error().code, QLatin1String(core::errc::kNotFound));
    EXPECT_TRUE(call<v1::DeleteQuickReplyResponse>("quick_replies.delete", agentA, del).ok());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM quick_replies WHERE scope = 'personal'")).toInt(), 0);
    EXPECT_EQ(audit(adminA.tenantId, QStringLiteral("quick_replies.delete")).size(), 1);
}

TEST_F(QuickRepliesTest, ShortcutsAreUniqueInsideAScopeAndValidated)
{
    ASSERT_TRUE(create(adminA, "tenant", QStringLiteral("ola"), QStringLiteral("Olá")).ok());
    core::Result<v1::QuickReply> again = create(adminA, "tenant", QStringLiteral("OLA"), QStringLiteral("Oi"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, QLatin1String(core::errc::kConflict));
    EXPECT_EQ(reasonOf(again.error()), QStringLiteral("shortcut_taken"));
    // The same shortcut as a personal reply is allowed (personal ones come first in the composer).
    EXPECT_TRUE(create(agentA, "personal", QStringLiteral("ola"), QStringLiteral("Oi, tudo bem?")).ok());

    for (const QString &bad : {QStringLiteral("com espaço"), QStringLiteral("x!"), QStringLiteral("")}) {
        core::Result<v1::QuickReply> r = create(agentA, "personal", bad, QStringLiteral("Texto"));
        ASSERT_FALSE(r.ok()) << bad.toStdString();
        EXPECT_EQ(r.error().code, QLatin1String(core::errc::kInvalidArgument));
    }
    core::Result<v1::QuickReply> noBody = create(agentA, "personal", QStringLiteral("vazio"), QStringLiteral("  "));
    ASSERT_FALSE(noBody.ok());
    EXPECT_EQ(reasonOf(noBody.error()), QStringLiteral("required"));
    core::Result<v1::QuickReply> badScope = create(adminA, "global", QStringLiteral("x"), QStringLiteral("x"));
    ASSERT_FALSE(badScope.ok());
    EXPECT_EQ(reasonOf(badScope.error()), QStringLiteral("invalid_scope"));
    core::Result<v1::QuickReply> foreignSector =
        create(adminA, "sector", QStringLiteral("x"), QStringLiteral("x"), QUuid::createUuid());
    ASSERT_FALSE(foreignSector.ok());
    EXPECT_EQ(foreignSector.error().code, QLatin1String(core::errc::kNotFound));
}

TEST_F(QuickRepliesTest, RenderFillsTheTicketsContactAndTheAgent)
{
    ASSERT_TRUE(create(adminA, "tenant", QStringLiteral("ola"),
                       QStringLiteral("{{greeting}}, {{contact.first_name}}! Aqui é {{agent.first_name}}, do setor "
                                      "{{sector.name}}. Seu e-mail: {{contact.email}}"))
                    .ok());
    core::Result<v1::RenderQuickReplyResponse> r = render(agentA, ticketX, QStringLiteral("/ola"));
    ASSERT_TRUE(r.ok()) << r.error().message.toStdString();
    const QString text = QString::fromStdString(r->text());
    EXPECT_TRUE(text.contains(QStringLiteral(", Maria! Aqui é Ana, do setor Vendas. Seu e-mail: {{contact.email}}")))
        << text.toStdString();
    EXPECT_TRUE(text.startsWith(QStringLiteral("Bom dia")) || text.startsWith(QStringLiteral("Boa tarde")) ||
                text.startsWith(QStringLiteral("Boa noite")))
        << text.toStdString();
    ASSERT_EQ(r->missing_size(), 1);
    EXPECT_EQ(r->missing(0), "contact.email");

    // A personal reply with the same shortcut wins over the tenant's for its owner.
    ASSERT_TRUE(create(agentA, "personal", QStringLiteral("ola"), QStringLiteral("Oi {{contact.name}}")).ok());
    core::Result<v1::RenderQuickReplyResponse> mine = render(agentA, ticketX, QStringLiteral("ola"));
    ASSERT_TRUE(mine.ok());
    EXPECT_EQ(mine->text(), "Oi Maria da Silva");
    // A draft body is filled as well.
    core::Result<v1::RenderQuickReplyResponse> draft = render(agentA, ticketX, {}, QStringLiteral("{{contact.phone}}"));
    ASSERT_TRUE(draft.ok());
    EXPECT_EQ(draft->text(), "5511987650001");
}

TEST_F(QuickRepliesTest, RenderRefusesTicketsOutsideTheCallersScope)
{
    ASSERT_TRUE(create(adminA, "tenant", QStringLiteral("ola"), QStringLiteral("Oi {{contact.name}}")).ok());
    for (const auto &[who, ticket] :
         {std::pair{agentA, ticketY}, std::pair{agentY, ticketX}, std::pair{adminB, ticketX}}) {
        core::Result<v1::RenderQuickReplyResponse> r = render(who, ticket, QStringLiteral("ola"));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, QLatin1String(core::errc::kNotFound));
    }
    // Sector Y's reply is not usable on sector X's agent's ticket either.
    ASSERT_TRUE(create(adminA, "sector", QStringLiteral("reset"), QStringLiteral("Reinicie"), sectorY).ok());
    core::Result<v1::RenderQuickReplyResponse> other = render(agentA, ticketX, QStringLiteral("reset"));
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, QLatin1String(core::errc::kNotFound));
}

TEST_F(QuickRepliesTest, EventsReachOnlyTheUsersWhoMayUseTheReply)
{
    QMap<QString, int> received;
    for (const DeskPerson &p : {agentA, agentY, adminA, adminB}) {
        server::api::Subscriber s;
        s.tenantId = p.tenantId;
        s.userId = p.userId;
        s.permissions = server::api::perm::rolePermissions(p.role);
        if (p.userId == agentA.userId)
            s.sectorIds = {sectorX};
        if (p.userId == agentY.userId)
            s.sectorIds = {sectorY};
        const QString key = text(p.userId);
        s.deliver = [&received, key](const v1::Event &e) {
            if (e.has_quick_reply_changed())
                ++received[key];
        };
        m_hub->add(std::move(s));
    }
    ASSERT_TRUE(create(agentA, "personal", QStringLiteral("meu"), QStringLiteral("Meu")).ok());
    ASSERT_TRUE(create(adminA, "sector", QStringLiteral("frete"), QStringLiteral("Frete"), sectorX).ok());
    ASSERT_TRUE(create(adminA, "tenant", QStringLiteral("ola"), QStringLiteral("Olá")).ok());
    EXPECT_EQ(received.value(text(agentA.userId)), 3);
    EXPECT_EQ(received.value(text(agentY.userId)), 1);
    EXPECT_EQ(received.value(text(adminA.userId)), 2);
    EXPECT_EQ(received.value(text(adminB.userId)), 0);
}

} // namespace
} // namespace atende::test
