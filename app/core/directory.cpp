#include "app/core/directory.h"

#include "app/core/proto_text.h"

#include "atende/api/v1/accounts.pb.h"
#include "atende/api/v1/contacts.pb.h"

namespace atende::app::core {

namespace v1 = atende::api::v1;

namespace {
constexpr int kParallelContactLoads = 4;
} // namespace

Directory::Directory(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{}

void Directory::reload()
{
    m_api->call<v1::ListSectorsResponse>(ops::kListSectors, v1::ListSectorsRequest(), this,
                                         [this](const ApiResult<v1::ListSectorsResponse> &r) {
                                             if (!r.ok())
                                                 return;
                                             m_sectors.clear();
                                             for (const v1::Sector &s : r.value.sectors()) {
                                                 SectorInfo info{qs(s.id()), qs(s.name()), qs(s.color()), {}};
                                                 for (const std::string &m : s.member_ids())
                                                     info.memberIds.append(qs(m));
                                                 m_sectors.insert(info.id, info);
                                             }
                                             Q_EMIT sectorsChanged();
                                         });
    m_api->call<v1::ListUsersResponse>(
        ops::kListUsers, v1::ListUsersRequest(), this, [this](const ApiResult<v1::ListUsersResponse> &r) {
            if (!r.ok())
                return;
            m_users.clear();
            for (const v1::User &u : r.value.users()) {
                UserInfo info{qs(u.id()), qs(u.name()), qs(u.role()), qs(u.availability()), {}};
                for (const std::string &s : u.sector_ids())
                    info.sectorIds.append(qs(s));
                m_users.insert(info.id, info);
            }
            Q_EMIT usersChanged();
        });
    m_api->call<v1::ListConnectionsResponse>(ops::kListConnections, v1::ListConnectionsRequest(), this,
                                             [this](const ApiResult<v1::ListConnectionsResponse> &r) {
                                                 if (!r.ok())
                                                     return;
                                                 m_connections.clear();
                                                 for (const v1::Connection &c : r.value.connections())
                                                     m_connections.insert(qs(c.id()), {qs(c.id()), qs(c.name())});
                                                 Q_EMIT connectionsChanged();
                                             });
}

QSet<QString> Directory::mySectorIds() const
{
    QSet<QString> mine;
    for (const SectorInfo &s : m_sectors)
        if (s.memberIds.contains(m_myUserId))
            mine.insert(s.id);
    return mine;
}

void Directory::require(const QStringList &contactIds)
{
    for (const QString &id : contactIds) {
        if (id.isEmpty() || m_contacts.contains(id) || m_requested.contains(id))
            continue;
        m_requested.insert(id);
        m_queue.push_back(id);
    }
    pump();
}

void Directory::updateContact(const ContactInfo &contact)
{
    m_contacts.insert(contact.id, contact);
    Q_EMIT contactChanged(contact.id);
}

void Directory::pump()
{
    while (m_running < kParallelContactLoads && !m_queue.empty()) {
        const QString id = m_queue.front();
        m_queue.pop_front();
        ++m_running;
        v1::GetContactRequest request;
        request.set_id(id.toStdString());
        m_api->call<v1::Contact>(ops::kGetContact, request, this, [this, id](const ApiResult<v1::Contact> &r) {
            --m_running;
            m_requested.remove(id);
            if (r.ok())
                updateContact(contactFromProto(r.value));
            pump();
        });
    }
}

ContactInfo contactFromProto(const v1::Contact &c)
{
    ContactInfo info{qs(c.id()), qs(c.name()), qs(c.phone()), qs(c.email()), qs(c.notes()), {}};
    for (const std::string &t : c.tags())
        info.tags.append(qs(t));
    return info;
}

} // namespace atende::app::core
