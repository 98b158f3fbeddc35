#include "app/console/mention_tracker.h"

namespace atende::app::console {

namespace {
QString folded(const QString &text)
{
    QString out;
    for (const QChar c : text.normalized(QString::NormalizationForm_D))
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c.toLower());
    return out;
}
} // namespace

int MentionTracker::queryStart(const QString &text, int cursor)
{
    for (int i = std::min(cursor, int(text.size())) - 1; i >= 0; --i) {
        const QChar c = text.at(i);
        if (c.isSpace())
            return -1;
        if (c == QLatin1Char('@'))
            return i == 0 || text.at(i - 1).isSpace() ? i : -1;
    }
    return -1;
}

QList<MentionCandidate> MentionTracker::matches(const QString &query, int max) const
{
    const QString q = folded(query);
    QList<MentionCandidate> first;
    QList<MentionCandidate> then;
    for (const MentionCandidate &c : m_candidates) {
        const QString name = folded(c.name);
        if (name.startsWith(q))
            first.append(c);
        else if (name.contains(QLatin1Char(' ') + q))
            then.append(c);
    }
    const auto byName = [](const MentionCandidate &a, const MentionCandidate &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    };
    std::sort(first.begin(), first.end(), byName);
    std::sort(then.begin(), then.end(), byName);
    return (first + then).mid(0, max);
}

void MentionTracker::remember(const MentionCandidate &user)
{
    for (const MentionCandidate &c : std::as_const(m_inserted))
        if (c.id == user.id)
            return;
    m_inserted.append(user);
}

QStringList MentionTracker::mentionedIds(const QString &text) const
{
    QStringList ids;
    for (const MentionCandidate &c : m_inserted)
        if (text.contains(QLatin1Char('@') + c.name) && !ids.contains(c.id))
            ids.append(c.id);
    return ids;
}

} // namespace atende::app::console
