// contacts.list: literal search (SQL metacharacters match themselves), phone prefix, tag filter, page-size
// limits, cursor validation, and keyset pages that are stable (no duplicates, no gaps).

#include "tests/desk/desk_fixture.h"

#include "tests/support/status_assertions.h"

#include <QSqlQuery>

#include <set>

namespace atende::test {

namespace v1 = atende::api::v1;

namespace {

QStringList names(const v1::ListContactsResponse &r)
{
    QStringList out;
    for (const v1::Contact &c : r.contacts())
        out.append(QString::fromStdString(c.name()));
    return out;
}

} // namespace

TEST_F(DeskTest, SearchTakesMetacharactersLiterally)
{
    createContact(adminA, "100% Real");
    createContact(adminA, "1000 Reais");
    createContact(adminA, "under_score");
    createContact(adminA, "underXscore");
    createContact(adminA, "back\\slash");
    createContact(adminA, "Phone Person", "5511987654321");

    const auto search = [&](const std::string &text) {
        v1::ListContactsRequest req;
        req.set_search(text);
        core::Result<v1::ListContactsResponse> r = call<v1::ListContactsResponse>("contacts.list", agentA, req);
        EXPECT_TRUE(isOk(r));
        return r.ok() ? names(r.value()) : QStringList();
    };
    EXPECT_EQ(search("100%"), QStringList{QStringLiteral("100% Real")});
    EXPECT_EQ(search("_"), QStringList{QStringLiteral("under_score")});
    EXPECT_EQ(search("\\"), QStringList{QStringLiteral("back\\slash")});
    EXPECT_EQ(search("%"), QStringList{QStringLiteral("100% Real")});
    EXPECT_EQ(search("REAL"), QStringList{QStringLiteral("100% Real")});
    EXPECT_EQ(search("+55 11 9876"), QStringList{QStringLiteral("Phone Person")});
    EXPECT_TRUE(search("'; DROP TABLE contacts; --").isEmpty());
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 6);
}

TEST_F(DeskTest, TagFilterAndLimits)
{
    v1::CreateContactRequest create;
    create.set_name("Tagged");
    create.add_tags("vip");
    ASSERT_TRUE(isOk(call<v1::Contact>("contacts.create", adminA, create)));
    createContact(adminA, "Plain");

    v1::ListContactsRequest req;
    req.set_tag("vip");
    core::Result<v1::ListContactsResponse> r = call<v1::ListContactsResponse>("contacts.list", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(names(r.value()), QStringList{QStringLiteral("Tagged")});

    req.Clear();
    req.set_limit(201);
    r = call<v1::ListContactsResponse>("contacts.list", agentA, req);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("out_of_range"));
    req.set_limit(10);
    req.set_after("garbage!");
    r = call<v1::ListContactsResponse>("contacts.list", agentA, req);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("invalid_cursor"));
}

TEST_F(DeskTest, KeysetPagesHaveNoDuplicatesOrGaps)
{
    // 250 contacts with many equal names (ties broken by id) and mixed case.
    const QUuid tenant = adminA.tenantId;
    const QString insert = QStringLiteral("INSERT INTO contacts (tenant_id, name) SELECT '%1', "
                                          "CASE WHEN g % 3 = 0 THEN 'same name' WHEN g % 3 = 1 THEN 'Name ' || g "
                                          "ELSE 'name ' || (g % 7) END FROM generate_series(1, 250) g")
                               .arg(text(tenant));
    ASSERT_TRUE(m_conn->exec(insert));
    ASSERT_EQ(scalar(QStringLiteral("SELECT count(*) FROM contacts")).toInt(), 250);

    std::set<std::string> seen;
    QList<std::string> order;
    v1::ListContactsRequest req;
    req.set_limit(40);
    int pages = 0;
    for (;;) {
        core::Result<v1::ListContactsResponse> r = call<v1::ListContactsResponse>("contacts.list", agentA, req);
        ASSERT_TRUE(isOk(r));
        ++pages;
        for (const v1::Contact &c : r->contacts()) {
            EXPECT_EQ(seen.count(c.id()), 0u) << "duplicate " << c.id();
            seen.insert(c.id());
            order.append(c.id());
        }
        if (r->next_cursor().empty())
            break;
        ASSERT_EQ(r->contacts_size(), 40);
        req.set_after(r->next_cursor());
        ASSERT_LT(pages, 20);
    }
    EXPECT_EQ(pages, 7);
    EXPECT_EQ(seen.size(), 250u);
    // Same order as the database's own (lower(name), id) order.
    QSqlQuery q(m_conn->db());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT id::text FROM contacts ORDER BY lower(name), id")));
    int i = 0;
    while (q.next() && i < order.size())
        EXPECT_EQ(q.value(0).toString().toStdString(), order[i++]);
}

} // namespace atende::test
