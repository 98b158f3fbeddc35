#include "server/accounts/accounts_proto.h"

#include "server/accounts/accounts_validation.h"

namespace atende::server::accounts {

namespace v1 = atende::api::v1;

namespace {

std::string idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

std::optional<QString> optionalText(bool present, const std::string &value)
{
    return present ? std::optional<QString>(QString::fromStdString(value)) : std::nullopt;
}

} // namespace

v1::Tenant toProto(const TenantSettings &tenant)
{
    v1::Tenant t;
    t.set_id(idText(tenant.id));
    t.set_name(tenant.name.toStdString());
    t.set_slug(tenant.slug.toStdString());
    t.set_time_zone(tenant.timeZone.toStdString());
    t.set_language(tenant.language.toStdString());
    return t;
}

v1::User toProto(const UserRecord &user)
{
    v1::User u;
    u.set_id(idText(user.id));
    u.set_email(user.email.toStdString());
    u.set_name(user.name.toStdString());
    u.set_role(user.role.toStdString());
    u.set_active(user.active);
    u.set_availability(user.availability.toStdString());
    u.set_pause_reason(user.pauseReason.toStdString());
    for (const QUuid &id : user.sectorIds)
        u.add_sector_ids(idText(id));
    return u;
}

v1::Sector toProto(const SectorRecord &sector)
{
    v1::Sector s;
    s.set_id(idText(sector.id));
    s.set_name(sector.name.toStdString());
    s.set_color(sector.color.toStdString());
    s.set_greeting(sector.greeting.toStdString());
    s.set_reopen_window_minutes(sector.reopenWindowMinutes);
    for (const QUuid &id : sector.memberIds)
        s.add_member_ids(idText(id));
    return s;
}

TenantPatch fromProto(const v1::UpdateTenantRequest &r)
{
    TenantPatch p;
    p.name = optionalText(r.has_name(), r.name());
    p.timeZone = optionalText(r.has_time_zone(), r.time_zone());
    p.language = optionalText(r.has_language(), r.language());
    return p;
}

UserPatch fromProto(const v1::UpdateUserRequest &r)
{
    UserPatch p;
    p.name = optionalText(r.has_name(), r.name());
    p.email = optionalText(r.has_email(), r.email());
    p.role = optionalText(r.has_role(), r.role());
    if (r.has_active())
        p.active = r.active();
    return p;
}

SectorPatch fromProto(const v1::UpdateSectorRequest &r)
{
    SectorPatch p;
    p.name = optionalText(r.has_name(), r.name());
    p.color = optionalText(r.has_color(), r.color());
    p.greeting = optionalText(r.has_greeting(), r.greeting());
    if (r.has_reopen_window_minutes())
        p.reopenWindowMinutes = r.reopen_window_minutes();
    return p;
}

SectorPatch fromProto(const v1::CreateSectorRequest &r)
{
    SectorPatch p;
    p.name = QString::fromStdString(r.name());
    p.color = QString::fromStdString(r.color());
    p.greeting = QString::fromStdString(r.greeting());
    p.reopenWindowMinutes = r.has_reopen_window_minutes() ? r.reopen_window_minutes() : kDefaultReopenWindowMinutes;
    return p;
}

QStringList toStringList(const google::protobuf::RepeatedPtrField<std::string> &values)
{
    QStringList out;
    out.reserve(values.size());
    for (const std::string &v : values)
        out.append(QString::fromStdString(v));
    return out;
}

v1::Event userChangedEvent(const UserRecord &user)
{
    v1::Event e;
    *e.mutable_user_changed()->mutable_user() = toProto(user);
    return e;
}

v1::Event sectorChangedEvent(const SectorRecord &sector, bool deleted)
{
    v1::Event e;
    *e.mutable_sector_changed()->mutable_sector() = toProto(sector);
    e.mutable_sector_changed()->set_deleted(deleted);
    return e;
}

v1::Event tenantChangedEvent(const TenantSettings &tenant)
{
    v1::Event e;
    *e.mutable_tenant_changed()->mutable_tenant() = toProto(tenant);
    return e;
}

} // namespace atende::server::accounts
