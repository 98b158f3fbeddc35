// ConsoleWindow: the ticket list's filters — palette actions, per-user persistence, counts that follow them —
// and the users an @mention can name.

#include "app/console/console_window.h"
#include "app/console/conversation_panel.h"
#include "app/console/ticket_filter_bar.h"
#include "app/console/ticket_list_panel.h"
#include "app/core/directory.h"
#include "app/core/session.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>

namespace atende::app::console {

namespace {
// Per user: two agents sharing a computer each keep their own filters.
QString filterKey(const QString &userId, const char *field)
{
    return QStringLiteral("filters/%1/%2").arg(userId, QLatin1String(field));
}
} // namespace

void ConsoleWindow::createFilterActions()
{
    const auto add = [this](const char *name, auto slot) {
        auto *a = new QAction(this);
        a->setObjectName(QLatin1String(name));
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        m_actions.insert(QLatin1String(name), a);
    };
    const auto openBox = [this](QComboBox *box) {
        m_tickets->showFilters(true);
        box->setFocus();
        box->showPopup();
    };
    add("filterSector", [this, openBox] { openBox(m_tickets->filterBar()->sectorBox()); });
    add("filterConnection", [this, openBox] { openBox(m_tickets->filterBar()->connectionBox()); });
    add("filterTag", [this] {
        m_tickets->showFilters(true);
        m_tickets->filterBar()->tagBox()->lineEdit()->setFocus();
        m_tickets->filterBar()->tagBox()->lineEdit()->selectAll();
    });
    add("clearFilters", [this] { m_tickets->filterBar()->clear(); });
    connect(m_tickets, &TicketListPanel::filterChanged, this, [this](const models::TicketFilter &filter) {
        saveFilter(filter);
        updateFilterActions();
        refreshCounts();
    });
    connect(m_deps.directory, &core::Directory::usersChanged, this, &ConsoleWindow::updateMentionCandidates);
}

void ConsoleWindow::updateFilterActions()
{
    m_actions.value(QStringLiteral("clearFilters"))->setEnabled(!m_tickets->filter().isEmpty());
}

bool ConsoleWindow::restoreFilter()
{
    const QString user = m_deps.session->user().id;
    const QSettings settings;
    models::TicketFilter filter;
    filter.sectorId = settings.value(filterKey(user, "sector")).toString();
    filter.connectionId = settings.value(filterKey(user, "connection")).toString();
    filter.tag = settings.value(filterKey(user, "tag")).toString();
    const bool changed = !(filter == m_tickets->filter());
    m_tickets->setFilter(filter);
    if (filter.isEmpty())
        m_tickets->showFilters(false);
    updateFilterActions();
    return changed;
}

void ConsoleWindow::saveFilter(const models::TicketFilter &filter)
{
    const QString user = m_deps.session->user().id;
    if (user.isEmpty())
        return;
    QSettings settings;
    settings.setValue(filterKey(user, "sector"), filter.sectorId);
    settings.setValue(filterKey(user, "connection"), filter.connectionId);
    settings.setValue(filterKey(user, "tag"), filter.tag);
}

void ConsoleWindow::updateMentionCandidates()
{
    QList<MentionCandidate> users;
    for (const core::UserInfo &u : m_deps.directory->users())
        if (u.id != m_deps.session->user().id) // mentioning oneself alerts nobody
            users.append({u.id, u.name});
    m_conversation->composer()->setMentionCandidates(users);
}

} // namespace atende::app::console
