/**
 * Teams, for administrators: records are assigned to teams, and coordinators and case workers see
 * the records of the teams they belong to. Create a team; choose its members.
 */
import '../account-i18n.ts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api.ts';
import { type AccountView, authApi, type TeamView } from '../auth-api.ts';
import { Field, focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useAnnounce } from '../status.tsx';

const TEAM_NAME_MAX = 100;

export function TeamsPage() {
  const { t } = useTranslation();
  const [teams, setTeams] = useState<TeamView[] | null>(null);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<string | null>(null);
  usePageTitle(t('teams.title'));

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const [teamList, accountList] = await Promise.all([authApi.teams(signal), authApi.accounts(signal)]);
      setTeams(teamList);
      setAccounts(accountList);
      setError(null);
    } catch (failure) {
      if (!isAbort(failure)) setError(failure);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const nameOf = (id: string) => accounts.find((account) => account.id === id)?.username ?? id.slice(0, 8);

  return (
    <>
      <h1>{t('teams.title')}</h1>
      <p className="hint">{t('teams.intro')}</p>
      <CreateTeamForm onCreated={() => void load()} />
      <section className="card" aria-labelledby="teams-list-title">
        <h2 id="teams-list-title">{t('teams.listTitle')}</h2>
        {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
        {teams === null && error === null && <p>{t('common.loading')}</p>}
        {teams !== null && teams.length === 0 && <p className="muted">{t('teams.none')}</p>}
        {teams !== null && teams.length > 0 && (
          <ul className="team-list">
            {teams.map((team) => (
              <li key={team.id} className="team">
                <h3 id={`team-${team.id}`} tabIndex={-1}>
                  <bdi>{team.name}</bdi>
                </h3>
                <p>
                  {team.memberIds.length === 0 ? (
                    <span className="muted">{t('teams.noMembers')}</span>
                  ) : (
                    <>
                      {t('teams.members', { count: team.memberIds.length })}:{' '}
                      {team.memberIds.map((id, index) => (
                        <span key={id}>
                          {index > 0 && ', '}
                          <bdi>{nameOf(id)}</bdi>
                        </span>
                      ))}
                    </>
                  )}
                </p>
                {editing === team.id ? (
                  <MembersForm
                    team={team}
                    accounts={accounts}
                    onDone={(saved) => {
                      setEditing(null);
                      if (saved) void load();
                      focusSoon(`edit-${team.id}`);
                    }}
                  />
                ) : (
                  <button
                    type="button"
                    id={`edit-${team.id}`}
                    className="button-small"
                    onClick={() => {
                      setEditing(team.id);
                      focusSoon(`members-${team.id}`);
                    }}
                  >
                    {t('teams.editMembers')}
                    <span className="visually-hidden"> ({team.name})</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function CreateTeamForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const value = name.trim();
    const problem = !value
      ? t('validation.required')
      : value.length > TEAM_NAME_MAX
        ? t('validation.tooLong', { max: TEAM_NAME_MAX })
        : undefined;
    setError(problem);
    if (problem) {
      focusSoon('team-name');
      return;
    }
    setBusy(true);
    try {
      await authApi.createTeam(value);
      announce(t('teams.created', { name: value }));
      setName('');
      onCreated();
    } catch (failed) {
      if (failed instanceof ApiError && failed.code === 'conflict') {
        setError(t('teams.exists'));
        focusSoon('team-name');
      } else {
        setFailure(describeError(failed, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="new-team-title">
      <h2 id="new-team-title">{t('teams.createTitle')}</h2>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <div className="row">
        <Field id="team-name" label={t('teams.name')} error={error} required>
          {(control) => (
            <input {...control} type="text" value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('teams.create')}
        </button>
      </div>
    </form>
  );
}

function MembersForm({
  team,
  accounts,
  onDone,
}: {
  team: TeamView;
  accounts: AccountView[];
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [members, setMembers] = useState<string[]>(team.memberIds);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setBusy(true);
    try {
      await authApi.setTeamMembers(team.id, members);
      announce(t('teams.membersSaved', { name: team.name }));
      onDone(true);
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void save(event)} aria-label={t('teams.membersOf', { name: team.name })}>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <fieldset className="group checks" id={`members-${team.id}`} tabIndex={-1}>
        <legend>{t('teams.membersOf', { name: team.name })}</legend>
        {accounts.map((account) => (
          <label key={account.id} className="choice">
            <input
              type="checkbox"
              checked={members.includes(account.id)}
              onChange={(event) =>
                setMembers((current) =>
                  event.target.checked ? [...current, account.id] : current.filter((id) => id !== account.id),
                )
              }
            />
            <bdi>{account.username}</bdi> <span className="muted small">({t(`roles.${account.role}`)})</span>
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('teams.saveMembers')}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
