#pragma once
// Ctrl+K: every console action by name. Typing filters (the letters in order, so "acn" finds "Accept
// next"), Up/Down choose, Enter runs the action. Disabled actions are listed but cannot run.

#include <QAction>
#include <QDialog>
#include <QList>
#include <QPointer>

class QLineEdit;
class QListWidget;

namespace atende::app::console {

class CommandPalette : public QDialog {
    Q_OBJECT
public:
    CommandPalette(const QList<QAction *> &actions, QWidget *parent = nullptr);

    QLineEdit *filterEdit() const { return m_filter; }
    QStringList shownNames() const;
    static bool matches(const QString &text, const QString &query);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refilter();
    void runCurrent();

    QList<QPointer<QAction>> m_actions;
    QLineEdit *m_filter;
    QListWidget *m_list;
};

} // namespace atende::app::console
