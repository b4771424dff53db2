import { useStudio } from '../state/store';

/** Errors, warnings and information, newest last, each dismissible. */
export function Notices() {
  const notices = useStudio((s) => s.notices);
  const dismiss = useStudio((s) => s.dismiss);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.kind}`} data-testid={`notice-${notice.kind}`}>
          <span>
            {notice.code && <code>{notice.code}</code>} {notice.text}
          </span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
