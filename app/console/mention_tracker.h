#pragma once
// @mentions in internal notes. The server does not parse note bodies: messages.note takes the mentioned
// users' ids (mention_user_ids) and alerts them. The composer shows "@Name" in the text for the team to
// read, and this tracker remembers which user each inserted "@Name" stands for, so that the ids sent are
// exactly those whose mention is still in the text when the note goes out.

#include <QList>
#include <QString>
#include <QStringList>

namespace atende::app::console {

struct MentionCandidate {
    QString id;
    QString name;
};

class MentionTracker {
public:
    void setCandidates(const QList<MentionCandidate> &candidates) { m_candidates = candidates; }
    const QList<MentionCandidate> &candidates() const { return m_candidates; }

    // Where the "@query" that ends at `cursor` starts (the position of '@'), or -1 when the cursor is not in
    // one: '@' at the start or after a space, followed by no space.
    static int queryStart(const QString &text, int cursor);
    // Candidates whose name has a word starting with `query` (case and accents ignored), those whose name
    // starts with it first; at most `max`.
    QList<MentionCandidate> matches(const QString &query, int max) const;

    // An "@Name" was inserted for this user.
    void remember(const MentionCandidate &user);
    // Ids of the remembered users whose "@Name" is in `text`, each once.
    QStringList mentionedIds(const QString &text) const;
    void clear() { m_inserted.clear(); }

private:
    QList<MentionCandidate> m_candidates;
    QList<MentionCandidate> m_inserted;
};

} // namespace atende::app::console
