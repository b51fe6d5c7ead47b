import { useShallow } from 'zustand/react/shallow';
import { useKeel } from '../../store/KeelStoreProvider';
import { errorHeading } from './errorHeading';

/** Failed calls, each kept until the person dismisses it. */
export function NoticeStack() {
  const notices = useKeel(useShallow((state) => state.notices));
  const dismissNotice = useKeel((state) => state.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((notice) => (
        <div key={notice.id} role="alert" className="notice">
          <div className="notice-text">
            <strong className="notice-title">{errorHeading(notice.error.code)}</strong>
            <p>{notice.error.message}</p>
          </div>
          <button type="button" className="button button-quiet" onClick={() => dismissNotice(notice.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
