import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES } from '../core/registry/model.ts';
import type { Permission } from './auth-api.ts';
import { focusPageHeading, LoadError, usePageTitle } from './components/ui.tsx';
import { useFormat } from './format.ts';
import { isLocale, LANGUAGE_NAMES, setLanguage } from './i18n.ts';
import { ActorForm } from './pages/ActorForm.tsx';
import { ActorPage } from './pages/ActorPage.tsx';
import { AuditTrailPage } from './pages/AuditPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { RegistryList } from './pages/RegistryList.tsx';
import { VocabulariesPage } from './pages/VocabulariesPage.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { goToLogin, LOGIN_PATH, SessionProvider, safeNext, useAccount, useSession } from './session.tsx';
import { StatusProvider, StatusRegion } from './status.tsx';
import { useUnreadCount } from './unread.ts';
import { VocabularyProvider } from './vocabularies.tsx';

// Pages most people open rarely load on first visit, with their strings, to keep the first download small.
const AlertsPage = lazy(() => import('./pages/AlertsPage.tsx').then((m) => ({ default: m.AlertsPage })));
const AlertPage = lazy(() => import('./pages/AlertPage.tsx').then((m) => ({ default: m.AlertPage })));
const LaddersPage = lazy(() => import('./pages/LaddersPage.tsx').then((m) => ({ default: m.LaddersPage })));
const LadderPage = lazy(() => import('./pages/LaddersPage.tsx').then((m) => ({ default: m.LadderPage })));
const ChannelsPage = lazy(() => import('./pages/ChannelsPage.tsx').then((m) => ({ default: m.ChannelsPage })));
const AnalysisPage = lazy(() => import('./pages/AnalysisPage.tsx').then((m) => ({ default: m.AnalysisPage })));
const TriagePage = lazy(() => import('./pages/TriagePage.tsx').then((m) => ({ default: m.TriagePage })));
const CasesPage = lazy(() => import('./pages/CasesPage.tsx').then((m) => ({ default: m.CasesPage })));
const CasePage = lazy(() => import('./pages/CasePage.tsx').then((m) => ({ default: m.CasePage })));
const CaseReportsPage = lazy(() => import('./pages/CaseReportsPage.tsx').then((m) => ({ default: m.CaseReportsPage })));
const ReferralsPage = lazy(() => import('./pages/ReferralsPage.tsx').then((m) => ({ default: m.ReferralsPage })));
const HuridocsIndexPage = lazy(() =>
  import('./pages/HuridocsPage.tsx').then((m) => ({ default: m.HuridocsIndexPage })),
);
const HuridocsListPage = lazy(() => import('./pages/HuridocsPage.tsx').then((m) => ({ default: m.HuridocsListPage })));
const IncidentsPage = lazy(() => import('./pages/IncidentsPage.tsx').then((m) => ({ default: m.IncidentsPage })));
const IncidentView = lazy(() => import('./pages/IncidentView.tsx').then((m) => ({ default: m.IncidentView })));
const IncidentForm = lazy(() => import('./pages/IncidentForm.tsx').then((m) => ({ default: m.IncidentForm })));
const OverduePage = lazy(() => import('./pages/OverduePage.tsx').then((m) => ({ default: m.OverduePage })));
const RiskAssessmentPage = lazy(() =>
  import('./pages/RiskAssessmentPage.tsx').then((m) => ({ default: m.RiskAssessmentPage })),
);
const SecurityPlanPage = lazy(() =>
  import('./pages/SecurityPlanPage.tsx').then((m) => ({ default: m.SecurityPlanPage })),
);
const NotificationsPage = lazy(() =>
  import('./pages/NotificationsPage.tsx').then((m) => ({ default: m.NotificationsPage })),
);
const SecurityPage = lazy(() => import('./pages/SecurityPage.tsx').then((m) => ({ default: m.SecurityPage })));
const TeamsPage = lazy(() => import('./pages/TeamsPage.tsx').then((m) => ({ default: m.TeamsPage })));
const UsersPage = lazy(() => import('./pages/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));

/**
 * Moves focus to the new page's heading. Pages often swap a loading heading for the loaded one;
 * while focus would otherwise fall back to the document, it follows to the new heading.
 */
function focusNewPage(): () => void {
  let heading = focusPageHeading();
  const main = document.getElementById('main');
  if (!main) return () => {};
  const observer = new MutationObserver(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (heading && !heading.isConnected && lost) heading = focusPageHeading();
  });
  observer.observe(main, { childList: true, subtree: true });
  const timer = window.setTimeout(() => observer.disconnect(), 10_000);
  return () => {
    observer.disconnect();
    window.clearTimeout(timer);
  };
}

interface NavItem {
  href: string;
  label: string;
  section: string;
  permission: Permission;
  /** A count shown after the label (unread notifications)... */
  count?: string;
  /** ...and what screen readers hear instead of label and count: the label, then the count in words. */
  spoken?: string;
}

/** The part of the app a path belongs to, for aria-current in the navigation. */
function sectionOf(pathname: string): string {
  if (pathname === '/actors/new') return 'new';
  for (const section of [
    'incidents',
    'triage',
    'cases',
    'case-reports',
    'referrals',
    'vocabularies',
    'audit',
    'users',
    'teams',
    'notifications',
    'analysis',
    'security',
    'protection',
    'alerts',
    'ladders',
    'channels',
  ]) {
    if (pathname === `/${section}` || pathname.startsWith(`/${section}/`)) return section;
  }
  return 'registry';
}

function Header() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const { pathname } = useLocation();
  const { account, can, signOut } = useSession();
  const unread = useUnreadCount(can('notifications.read'), pathname);
  const section = sectionOf(pathname);
  const current = (name: string) => (section === name ? ('page' as const) : undefined);
  const items: NavItem[] = [
    { href: '/', label: t('nav.registry'), section: 'registry', permission: 'registry.read' },
    { href: '/actors/new', label: t('nav.newActor'), section: 'new', permission: 'registry.write' },
    { href: '/incidents', label: t('nav.incidents'), section: 'incidents', permission: 'registry.read' },
    { href: '/triage', label: t('nav.triage'), section: 'triage', permission: 'cases.triage' },
    { href: '/cases', label: t('nav.cases'), section: 'cases', permission: 'cases.read' },
    { href: '/protection/overdue', label: t('nav.overdue'), section: 'protection', permission: 'risk.oversee' },
    { href: '/alerts', label: t('nav.alerts'), section: 'alerts', permission: 'alerts.read' },
    { href: '/ladders', label: t('nav.ladders'), section: 'ladders', permission: 'alerts.configure' },
    { href: '/analysis', label: t('nav.analysis'), section: 'analysis', permission: 'registry.deidentified' },
    { href: '/case-reports', label: t('nav.caseReports'), section: 'case-reports', permission: 'cases.report' },
    { href: '/referrals', label: t('nav.referrals'), section: 'referrals', permission: 'referrals.respond' },
    {
      href: '/notifications',
      label: t('nav.notifications'),
      section: 'notifications',
      permission: 'notifications.read',
      ...(unread
        ? {
            count: format.number(unread),
            spoken: t('nav.notificationsUnread', { count: unread, n: format.number(unread) }),
          }
        : {}),
    },
    { href: '/channels', label: t('nav.channels'), section: 'channels', permission: 'notifications.read' },
    { href: '/vocabularies', label: t('nav.vocabularies'), section: 'vocabularies', permission: 'vocabulary.write' },
    { href: '/audit', label: t('nav.audit'), section: 'audit', permission: 'audit.read' },
    { href: '/users', label: t('nav.users'), section: 'users', permission: 'accounts.manage' },
    { href: '/teams', label: t('nav.teams'), section: 'teams', permission: 'accounts.manage' },
  ];
  const shown = items.filter((item) => can(item.permission));
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <span className="brand" translate="no">
          Amparo
        </span>
        {account && shown.length > 0 && (
          <nav aria-label={t('nav.label')} className="main-nav">
            <ul>
              {shown.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={current(item.section)}>
                    {item.spoken ? (
                      <>
                        <span aria-hidden="true">
                          {item.label}
                          <span className="nav-count">{item.count}</span>
                        </span>
                        <span className="visually-hidden">{item.spoken}</span>
                      </>
                    ) : (
                      item.label
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          <div className="language-switcher">
            <label htmlFor="language-select">{t('nav.language')}</label>
            <select
              id="language-select"
              value={i18n.language}
              onChange={(event) => {
                if (isLocale(event.target.value)) setLanguage(event.target.value);
              }}
            >
              {LOCALES.map((code) => (
                <option key={code} value={code} lang={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
          </div>
          {account && (
            <div className="account-area">
              <span className="muted small">
                {t('nav.signedInAs')} <bdi className="username">{account.username}</bdi>
              </span>
              <Link href="/security" aria-current={current('security')}>
                {t('nav.security')}
              </Link>
              <button type="button" className="button-small" onClick={() => void signOut()}>
                {t('nav.signOut')}
              </button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}

/** A page this account's role does not open. */
function NoAccess() {
  const { t } = useTranslation();
  usePageTitle(t('noAccess.title'));
  return (
    <>
      <h1>{t('noAccess.title')}</h1>
      <p>{t('noAccess.body')}</p>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}

/** The start page of an account that has no registry to browse (a defender). */
function Welcome() {
  const { t } = useTranslation();
  const account = useAccount();
  usePageTitle(t('welcome.title'));
  return (
    <>
      <h1>{t('welcome.title')}</h1>
      <p>
        {t('welcome.greeting')} <bdi>{account.username}</bdi>
      </p>
      <ul>
        {account.actorId && (
          <li>
            <Link href={`/actors/${account.actorId}`}>{t('welcome.ownRecord')}</Link>
          </li>
        )}
        <li>
          <Link href="/security">{t('nav.security')}</Link>
        </li>
      </ul>
    </>
  );
}

function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}

function pageFor(pathname: string, can: (permission: Permission) => boolean, ownActorId: string | null): ReactNode {
  const only = (permission: Permission, page: ReactNode) => (can(permission) ? page : <NoAccess />);
  if (pathname === '/' || pathname === '/actors') {
    if (can('registry.read')) return <RegistryList />;
    if (can('registry.deidentified')) return <AnalysisPage />;
    return <Welcome />;
  }
  if (match('/actors/new', pathname)) return only('registry.write', <ActorForm key="new" />);
  const edit = match('/actors/:id/edit', pathname);
  // Defenders edit their own record, and only that one.
  if (edit?.id) {
    const form = <ActorForm key={`edit:${edit.id}`} id={edit.id} />;
    return can('registry.self') && ownActorId === edit.id ? form : only('registry.write', form);
  }
  const actor = match('/actors/:id', pathname);
  if (actor?.id) return <ActorPage key={actor.id} id={actor.id} />;
  if (match('/incidents', pathname)) return only('registry.read', <IncidentsPage />);
  if (match('/incidents/new', pathname)) return only('registry.write', <IncidentForm key="new" />);
  const incidentEdit = match('/incidents/:id/edit', pathname);
  if (incidentEdit?.id)
    return only('registry.write', <IncidentForm key={`edit:${incidentEdit.id}`} id={incidentEdit.id} />);
  const incident = match('/incidents/:id', pathname);
  if (incident?.id) return only('registry.read', <IncidentView key={incident.id} id={incident.id} />);
  if (match('/vocabularies', pathname)) return only('vocabulary.read', <VocabulariesPage />);
  if (match('/vocabularies/huridocs', pathname)) return only('vocabulary.read', <HuridocsIndexPage />);
  const thesaurus = match('/vocabularies/huridocs/:list', pathname);
  if (thesaurus?.list) {
    return only('vocabulary.read', <HuridocsListPage key={thesaurus.list} list={thesaurus.list} />);
  }
  if (match('/audit', pathname)) return only('audit.read', <AuditTrailPage />);
  if (match('/security', pathname)) return <SecurityPage />;
  if (match('/users', pathname)) return only('accounts.manage', <UsersPage />);
  if (match('/teams', pathname)) return only('accounts.manage', <TeamsPage />);
  if (match('/notifications', pathname)) return only('notifications.read', <NotificationsPage />);
  if (match('/analysis', pathname)) return only('registry.deidentified', <AnalysisPage />);
  const newAssessment = match('/actors/:id/assessments/new', pathname);
  if (newAssessment?.id) {
    return only('risk.write', <RiskAssessmentPage key={`new:${newAssessment.id}`} subjectId={newAssessment.id} />);
  }
  const assessment = match('/assessments/:id', pathname);
  if (assessment?.id) return only('risk.read', <RiskAssessmentPage key={assessment.id} id={assessment.id} />);
  const newPlan = match('/actors/:id/plans/new', pathname);
  if (newPlan?.id) return only('risk.write', <SecurityPlanPage key={`new:${newPlan.id}`} subjectId={newPlan.id} />);
  const plan = match('/plans/:id', pathname);
  if (plan?.id) return only('risk.read', <SecurityPlanPage key={plan.id} id={plan.id} />);
  if (match('/protection/overdue', pathname)) return only('risk.oversee', <OverduePage />);
  if (match('/alerts', pathname)) return only('alerts.read', <AlertsPage />);
  const alert = match('/alerts/:id', pathname);
  if (alert?.id) return only('alerts.read', <AlertPage key={alert.id} id={alert.id} />);
  if (match('/ladders', pathname)) return only('alerts.read', <LaddersPage />);
  if (match('/ladders/new', pathname)) return only('alerts.configure', <LadderPage key="new" />);
  const ladder = match('/ladders/:id', pathname);
  if (ladder?.id) return only('alerts.configure', <LadderPage key={ladder.id} id={ladder.id} />);
  if (match('/channels', pathname)) return only('notifications.read', <ChannelsPage />);
  if (match('/triage', pathname)) return only('cases.triage', <TriagePage />);
  if (match('/cases', pathname)) return only('cases.read', <CasesPage />);
  const protectionCase = match('/cases/:id', pathname);
  if (protectionCase?.id) return only('cases.read', <CasePage key={protectionCase.id} id={protectionCase.id} />);
  if (match('/case-reports', pathname)) return only('cases.report', <CaseReportsPage />);
  if (match('/referrals', pathname)) return only('referrals.respond', <ReferralsPage />);
  return <NotFound />;
}

function Routes({ focusFirst }: { focusFirst: boolean }) {
  const location = useLocation();
  const { can, account } = useSession();
  const page = pageFor(location.pathname, can, account?.actorId ?? null);

  // Move focus to the new page's heading on navigation (not on first load, so Tab starts at the skip
  // link), and on arrival from the sign-in page, whose heading just went away.
  const firstKey = useRef(focusFirst ? null : location.key);
  useEffect(() => {
    if (location.key === firstKey.current) return;
    let stop = () => {};
    const frame = requestAnimationFrame(() => {
      stop = focusNewPage();
    });
    return () => {
      cancelAnimationFrame(frame);
      stop();
    };
  }, [location.key]);

  return page;
}

/** What the main region shows: the sign-in page until the session is complete, then the application. */
function Content() {
  const { t } = useTranslation();
  const { state, refresh } = useSession();
  const location = useLocation();
  const onLogin = location.pathname === LOGIN_PATH;
  const signedIn = state.status === 'signed_in';
  const cameFromLogin = useRef(false);
  if (onLogin) cameFromLogin.current = true;

  useEffect(() => {
    if ((state.status === 'signed_out' || state.status === 'pending') && !onLogin) goToLogin();
    if (state.status === 'signed_in' && onLogin) {
      navigate(safeNext(new URLSearchParams(window.location.search).get('next')), { replace: true });
    }
  }, [state.status, onLogin]);

  if (state.status === 'unreachable') {
    return (
      <>
        <h1>{t('errors.unreachableTitle')}</h1>
        <LoadError message={t('errors.network')} onRetry={() => void refresh()} />
      </>
    );
  }
  if (signedIn && !onLogin) {
    return (
      <VocabularyProvider>
        <Suspense fallback={<p aria-live="polite">{t('common.loading')}</p>}>
          <Routes focusFirst={cameFromLogin.current} />
        </Suspense>
      </VocabularyProvider>
    );
  }
  if (onLogin && !signedIn && state.status !== 'loading') return <LoginPage />;
  return <p aria-live="polite">{t('common.loading')}</p>;
}

export function App() {
  const { t } = useTranslation();
  return (
    <SessionProvider>
      <StatusProvider>
        {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; the handler only keeps "#main" out of the history. */}
        <a
          className="skip-link"
          href="#main"
          onClick={(event) => {
            event.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          {t('nav.skip')}
        </a>
        <Header />
        <main id="main" tabIndex={-1}>
          <StatusRegion />
          <Content />
        </main>
        <footer className="site-footer">
          <p>{t('footer.text')}</p>
        </footer>
      </StatusProvider>
    </SessionProvider>
  );
}
