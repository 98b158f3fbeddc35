// users.*: CRUD, validation codes, role enforcement, self-lockout, passwords, availability, refresh-token
// revocation, audit rows and events.

#include "tests/accounts/accounts_fixture.h"

#include "server/api/permissions.h"
#include "server/security/password_hasher.h"
#include "tests/support/status_assertions.h"

#include "atende/api/v1/accounts.pb.h"

#include <QSignalSpy>

namespace atende::test {

namespace v1 = atende::api::v1;

namespace {

QString reasonOf(const core::Error &e)
{
    return e.details.value(QStringLiteral("reason")).toString();
}

std::string idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

v1::CreateUserRequest newUser(const char *email, const char *name, const char *role, const char *password = "")
{
    v1::CreateUserRequest r;
    r.set_email(email);
    r.set_name(name);
    r.set_role(role);
    r.set_password(password);
    return r;
}

} // namespace

TEST_F(AccountsTest, UserCrud)
{
    core::Result<v1::CreateUserResponse> created = call<v1::CreateUserResponse>(
        "users.create", adminA, newUser(" Bia@Acme.Example ", "Bia", "agent", "a long enough password"));
    ASSERT_TRUE(isOk(created));
    EXPECT_EQ(created->user().email(), "bia@acme.example");
    EXPECT_EQ(created->user().role(), "agent");
    EXPECT_TRUE(created->user().active());
    EXPECT_EQ(created->user().availability(), "offline");
    EXPECT_TRUE(created->generated_password().empty());
    const std::string biaId = created->user().id();

    core::Result<v1::CreateUserResponse> generated =
        call<v1::CreateUserResponse>("users.create", adminA, newUser("caio@acme.example", "Caio", "supervisor"));
    ASSERT_TRUE(isOk(generated));
    EXPECT_EQ(generated->generated_password().size(), 20u);
    // The generated password is the one stored.
    const QString hash = scalar(QStringLiteral("SELECT password_hash FROM users WHERE id = '%1'")
                                    .arg(QString::fromStdString(generated->user().id())))
                             .toString();
    server::security::Argon2Params p;
    p.memoryKiB = 256;
    p.iterations = 1;
    EXPECT_TRUE(
        server::security::PasswordHasher(p).verify(QString::fromStdString(generated->generated_password()), hash));

    v1::GetUserRequest get;
    get.set_id(biaId);
    core::Result<v1::User> got = call<v1::User>("users.get", agentA, get);
    ASSERT_TRUE(isOk(got));
    EXPECT_EQ(got->name(), "Bia");

    v1::UpdateUserRequest update;
    update.set_id(biaId);
    update.set_name("Beatriz");
    update.set_role("supervisor");
    core::Result<v1::User> updated = call<v1::User>("users.update", adminA, update);
    ASSERT_TRUE(isOk(updated));
    EXPECT_EQ(updated->name(), "Beatriz");
    EXPECT_EQ(updated->role(), "supervisor");
    EXPECT_EQ(updated->email(), "bia@acme.example");

    core::Result<v1::ListUsersResponse> all = call<v1::ListUsersResponse>("users.list", agentA, v1::ListUsersRequest());
    ASSERT_TRUE(isOk(all));
    EXPECT_EQ(all->users_size(), 5);
    v1::ListUsersRequest supervisors;
    supervisors.set_role("supervisor");
    core::Result<v1::ListUsersResponse> sup = call<v1::ListUsersResponse>("users.list", agentA, supervisors);
    ASSERT_TRUE(isOk(sup));
    EXPECT_EQ(sup->users_size(), 3);

    const QList<AuditRow> creates = audit(adminA.tenantId, QStringLiteral("user.create"));
    ASSERT_GE(creates.size(), 2);
    const AuditRow &c = creates[creates.size() - 2];
    EXPECT_FALSE(c.hasBefore);
    EXPECT_EQ(c.after.value(QStringLiteral("email")).toString(), QStringLiteral("bia@acme.example"));
    EXPECT_EQ(c.actor, text(adminA.userId));
    EXPECT_EQ(c.ip, QString::fromLatin1(kPeer));
    const QList<AuditRow> updates = audit(adminA.tenantId, QStringLiteral("user.update"));
    ASSERT_EQ(updates.size(), 1);
    EXPECT_EQ(updates[0].before.value(QStringLiteral("name")).toString(), QStringLiteral("Bia"));
    EXPECT_EQ(updates[0].after.value(QStringLiteral("name")).toString(), QStringLiteral("Beatriz"));
    EXPECT_EQ(updates[0].before.value(QStringLiteral("role")).toString(), QStringLiteral("agent"));
    EXPECT_EQ(updates[0].objectId, QString::fromStdString(biaId));
    // No password hash anywhere in the audit log.
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE coalesce(before::text, '') || "
                                    "coalesce(after::text, '') ILIKE '%argon2%'"))
                  .toInt(),
              0);
}

TEST_F(AccountsTest, UserValidationCodes)
{
    const auto expect = [&](const v1::CreateUserRequest &req, const char *code, const char *reason) {
        core::Result<v1::CreateUserResponse> r = call<v1::CreateUserResponse>("users.create", adminA, req);
        ASSERT_TRUE(isError(r, code));
        EXPECT_EQ(reasonOf(r.error()), QLatin1String(reason));
    };
    expect(newUser("x@acme.example", "X", "agent", "short"), core::errc::kInvalidArgument, "too_short");
    expect(newUser("not-an-email", "X", "agent"), core::errc::kInvalidArgument, "invalid_email");
    expect(newUser("x@acme.example", "X", "owner"), core::errc::kInvalidArgument, "invalid_role");
    expect(newUser("x@acme.example", " ", "agent"), core::errc::kInvalidArgument, "required");
    // Emails are unique across tenants.
    expect(newUser("AGENT@globex.example", "X", "agent"), core::errc::kConflict, "email_taken");

    v1::GetUserRequest bad;
    bad.set_id("not-a-uuid");
    core::Result<v1::User> r = call<v1::User>("users.get", adminA, bad);
    ASSERT_TRUE(isError(r, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("invalid_uuid"));
    v1::GetUserRequest missing;
    missing.set_id(idText(QUuid::createUuid()));
    EXPECT_TRUE(isError(call<v1::User>("users.get", adminA, missing), core::errc::kNotFound));

    v1::UpdateUserRequest email;
    email.set_id(idText(agentA.userId));
    email.set_email("sup@acme.example");
    core::Result<v1::User> taken = call<v1::User>("users.update", adminA, email);
    ASSERT_TRUE(isError(taken, core::errc::kConflict));
    EXPECT_EQ(reasonOf(taken.error()), QStringLiteral("email_taken"));
}

TEST_F(AccountsTest, RolesAreEnforced)
{
    EXPECT_TRUE(isError(call<v1::CreateUserResponse>("users.create", agentA, newUser("y@acme.example", "Y", "agent")),
                        core::errc::kPermissionDenied));
    EXPECT_TRUE(
        isError(call<v1::CreateUserResponse>("users.create", supervisorA, newUser("y@acme.example", "Y", "agent")),
                core::errc::kPermissionDenied));
    v1::ResetPasswordRequest reset;
    reset.set_id(idText(adminA.userId));
    EXPECT_TRUE(
        isError(call<v1::ResetPasswordResponse>("users.reset_password", agentA, reset), core::errc::kPermissionDenied));
    EXPECT_TRUE(isOk(call<v1::ListUsersResponse>("users.list", agentA, v1::ListUsersRequest())));

    // A supervisor sets someone else's availability; an agent cannot.
    v1::SetAvailabilityOfRequest pause;
    pause.set_id(idText(agentA.userId));
    pause.set_availability("paused");
    pause.set_pause_reason("lunch");
    EXPECT_TRUE(isError(call<v1::User>("users.set_availability_of", agentA, pause), core::errc::kPermissionDenied));
    core::Result<v1::User> paused = call<v1::User>("users.set_availability_of", supervisorA, pause);
    ASSERT_TRUE(isOk(paused));
    EXPECT_EQ(paused->availability(), "paused");
    EXPECT_EQ(paused->pause_reason(), "lunch");
    const QList<AuditRow> rows = audit(agentA.tenantId, QStringLiteral("user.set_availability"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].actor, text(supervisorA.userId));
    EXPECT_EQ(rows[0].before.value(QStringLiteral("availability")).toString(), QStringLiteral("offline"));
    EXPECT_EQ(rows[0].after.value(QStringLiteral("availability")).toString(), QStringLiteral("paused"));
}

TEST_F(AccountsTest, OwnAvailability)
{
    v1::SetAvailabilityRequest req;
    req.set_availability("online");
    core::Result<v1::User> r = call<v1::User>("users.set_availability", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->id(), idText(agentA.userId));
    EXPECT_EQ(r->availability(), "online");

    req.set_availability("paused");
    core::Result<v1::User> noReason = call<v1::User>("users.set_availability", agentA, req);
    ASSERT_TRUE(isError(noReason, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(noReason.error()), QStringLiteral("required"));
    req.set_pause_reason(std::string(201, 'r'));
    core::Result<v1::User> tooLong = call<v1::User>("users.set_availability", agentA, req);
    ASSERT_TRUE(isError(tooLong, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(tooLong.error()), QStringLiteral("too_long"));
    req.set_availability("busy");
    core::Result<v1::User> unknown = call<v1::User>("users.set_availability", agentA, req);
    ASSERT_TRUE(isError(unknown, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(unknown.error()), QStringLiteral("invalid_availability"));

    req.set_availability("paused");
    req.set_pause_reason("coffee");
    r = call<v1::User>("users.set_availability", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->pause_reason(), "coffee");
    req.set_availability("offline");
    r = call<v1::User>("users.set_availability", agentA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->pause_reason(), "");
}

TEST_F(AccountsTest, AdminCannotLockThemselvesOut)
{
    v1::UpdateUserRequest deactivate;
    deactivate.set_id(idText(adminA.userId));
    deactivate.set_active(false);
    core::Result<v1::User> r = call<v1::User>("users.update", adminA, deactivate);
    ASSERT_TRUE(isError(r, core::errc::kPermissionDenied));
    EXPECT_EQ(reasonOf(r.error()), QStringLiteral("self_lockout"));
    v1::UpdateUserRequest demote;
    demote.set_id(idText(adminA.userId));
    demote.set_role("agent");
    EXPECT_TRUE(isError(call<v1::User>("users.update", adminA, demote), core::errc::kPermissionDenied));
    EXPECT_EQ(scalar(QStringLiteral("SELECT role || active::text FROM users WHERE id = '%1'").arg(text(adminA.userId)))
                  .toString(),
              QStringLiteral("admintrue"));

    v1::UpdateUserRequest rename;
    rename.set_id(idText(adminA.userId));
    rename.set_name("Renamed Admin");
    rename.set_active(true);
    rename.set_role("admin");
    EXPECT_TRUE(isOk(call<v1::User>("users.update", adminA, rename)));
}

TEST_F(AccountsTest, DeactivationRevokesRefreshTokens)
{
    addRefreshToken(agentA);
    addRefreshToken(agentA);
    addRefreshToken(supervisorA);
    QSignalSpy principal(m_hub.get(), &server::api::EventHub::principalChanged);

    v1::SetAvailabilityRequest online;
    online.set_availability("online");
    ASSERT_TRUE(isOk(call<v1::User>("users.set_availability", agentA, online)));

    v1::UpdateUserRequest deactivate;
    deactivate.set_id(idText(agentA.userId));
    deactivate.set_active(false);
    core::Result<v1::User> r = call<v1::User>("users.update", adminA, deactivate);
    ASSERT_TRUE(isOk(r));
    EXPECT_FALSE(r->active());
    EXPECT_EQ(r->availability(), "offline");
    EXPECT_EQ(liveRefreshTokens(agentA), 0);
    EXPECT_EQ(liveRefreshTokens(supervisorA), 1);
    ASSERT_EQ(principal.count(), 1);
    EXPECT_EQ(principal.at(0).at(1).value<QUuid>(), agentA.userId);
    const QList<AuditRow> rows = audit(agentA.tenantId, QStringLiteral("user.update"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_TRUE(rows[0].before.value(QStringLiteral("active")).toBool());
    EXPECT_FALSE(rows[0].after.value(QStringLiteral("active")).toBool());
    EXPECT_EQ(rows[0].after.value(QStringLiteral("revokedRefreshTokens")).toInt(), 2);

    // An inactive user can only be offline.
    core::Result<v1::User> again = call<v1::User>("users.set_availability", agentA, online);
    EXPECT_TRUE(isError(again, core::errc::kConflict));
}

TEST_F(AccountsTest, ResetPassword)
{
    addRefreshToken(agentA);
    v1::ResetPasswordRequest req;
    req.set_id(idText(agentA.userId));
    core::Result<v1::ResetPasswordResponse> r = call<v1::ResetPasswordResponse>("users.reset_password", adminA, req);
    ASSERT_TRUE(isOk(r));
    EXPECT_EQ(r->generated_password().size(), 20u);
    EXPECT_EQ(liveRefreshTokens(agentA), 0);
    const QList<AuditRow> rows = audit(agentA.tenantId, QStringLiteral("user.reset_password"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].after.value(QStringLiteral("password")).toString(), QStringLiteral("changed"));
    EXPECT_FALSE(rows[0].hasBefore);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM audit_log WHERE after::text LIKE '%%1%'")
                         .arg(QString::fromStdString(r->generated_password())))
                  .toInt(),
              0);
}

TEST_F(AccountsTest, ChangeOwnPassword)
{
    v1::ChangePasswordRequest req;
    req.set_current_password("not my password");
    req.set_new_password("a brand new password");
    core::Result<v1::ChangePasswordResponse> wrong =
        call<v1::ChangePasswordResponse>("users.change_password", agentA, req);
    ASSERT_TRUE(isError(wrong, core::errc::kPermissionDenied));
    EXPECT_EQ(reasonOf(wrong.error()), QStringLiteral("wrong_password"));

    req.set_current_password(kPassword);
    req.set_new_password("short");
    core::Result<v1::ChangePasswordResponse> tooShort =
        call<v1::ChangePasswordResponse>("users.change_password", agentA, req);
    ASSERT_TRUE(isError(tooShort, core::errc::kInvalidArgument));
    EXPECT_EQ(reasonOf(tooShort.error()), QStringLiteral("too_short"));

    req.set_new_password("a brand new password");
    ASSERT_TRUE(isOk(call<v1::ChangePasswordResponse>("users.change_password", agentA, req)));
    const QString hash =
        scalar(QStringLiteral("SELECT password_hash FROM users WHERE id = '%1'").arg(text(agentA.userId))).toString();
    server::security::Argon2Params p;
    p.memoryKiB = 256;
    p.iterations = 1;
    EXPECT_TRUE(server::security::PasswordHasher(p).verify(QStringLiteral("a brand new password"), hash));
    const QList<AuditRow> rows = audit(agentA.tenantId, QStringLiteral("user.change_password"));
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].after, QJsonObject({{QStringLiteral("password"), QStringLiteral("changed")}}));
    EXPECT_EQ(rows[0].actor, text(agentA.userId));
}

TEST_F(AccountsTest, SearchTreatsMetacharactersLiterally)
{
    ASSERT_TRUE(isOk(call<v1::CreateUserResponse>(
        "users.create", adminA,
        newUser("obrien@acme.example", "O'Brien 100% _x_ \\ '; DROP TABLE users; --", "agent"))));
    v1::ListUsersRequest req;
    for (const char *needle : {"%", "_", "'", "\\", "DROP TABLE", "100% _x_"}) {
        req.set_search(needle);
        core::Result<v1::ListUsersResponse> r = call<v1::ListUsersResponse>("users.list", adminA, req);
        ASSERT_TRUE(isOk(r)) << needle;
        ASSERT_EQ(r->users_size(), 1) << needle;
        EXPECT_EQ(r->users(0).name(), "O'Brien 100% _x_ \\ '; DROP TABLE users; --");
    }
    req.set_search("ACME.EXAMPLE");
    core::Result<v1::ListUsersResponse> byEmail = call<v1::ListUsersResponse>("users.list", adminA, req);
    ASSERT_TRUE(isOk(byEmail));
    EXPECT_EQ(byEmail->users_size(), 4);
    v1::ListUsersRequest inactive;
    inactive.set_active(false);
    core::Result<v1::ListUsersResponse> none = call<v1::ListUsersResponse>("users.list", adminA, inactive);
    ASSERT_TRUE(isOk(none));
    EXPECT_EQ(none->users_size(), 0);
    EXPECT_EQ(scalar(QStringLiteral("SELECT count(*) FROM users")).toInt(), 6);
}

TEST_F(AccountsTest, UserEventsReachOnlyAllowedSubscribers)
{
    QList<v1::Event> admin, noUsersRead, otherTenant;
    const auto subscribe = [&](const Person &p, QSet<QString> perms, QList<v1::Event> *sink) {
        server::api::Subscriber s;
        s.tenantId = p.tenantId;
        s.userId = p.userId;
        s.permissions = std::move(perms);
        s.deliver = [sink](const v1::Event &e) {
            sink->append(e);
        };
        m_hub->add(s);
    };
    subscribe(adminA, server::api::perm::rolePermissions(QStringLiteral("admin")), &admin);
    subscribe(agentA, {QString::fromLatin1(server::api::perm::kTicketsRead)}, &noUsersRead);
    subscribe(adminB, server::api::perm::rolePermissions(QStringLiteral("admin")), &otherTenant);

    ASSERT_TRUE(isOk(call<v1::CreateUserResponse>("users.create", adminA, newUser("z@acme.example", "Zé", "agent"))));
    v1::SetAvailabilityRequest online;
    online.set_availability("online");
    ASSERT_TRUE(isOk(call<v1::User>("users.set_availability", agentA, online)));

    ASSERT_EQ(admin.size(), 2);
    EXPECT_TRUE(admin[0].has_user_changed());
    EXPECT_EQ(admin[0].user_changed().user().email(), "z@acme.example");
    EXPECT_EQ(admin[1].user_changed().user().availability(), "online");
    EXPECT_LT(admin[0].seq(), admin[1].seq());
    EXPECT_TRUE(noUsersRead.isEmpty());
    EXPECT_TRUE(otherTenant.isEmpty());
}

} // namespace atende::test
