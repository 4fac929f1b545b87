/** What a form shows when it cannot be saved: errors next to fields (listed in the error summary) and a general message. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { describeError, errorField } from '../errors.ts';

export function useFormProblems() {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [general, setGeneral] = useState<string | null>(null);
  // Changes each time errors are shown, so the summary takes focus again even when they are the same.
  const [focusKey, setFocusKey] = useState(0);

  /** Replaces the field errors, keyed by the id of the element each belongs to; any there are take focus. */
  const setFieldErrors = (found: ReadonlyMap<string, string>) => {
    setErrors(found);
    if (found.size > 0) setFocusKey((n) => n + 1);
  };

  /**
   * Shows why a save failed: the server's validation failure about a field the form shows goes next to that
   * field (`targetOf` gives its element id, or null), anything else above the form.
   */
  const showSaveFailure = (
    failure: unknown,
    targetOf: (field: string) => string | null,
    fieldMessage: (failure: ApiError) => string = (error) => describeError(error, t),
  ) => {
    const field = errorField(failure);
    const target = field ? targetOf(field) : null;
    if (target && failure instanceof ApiError && failure.code === 'validation_failed') {
      setFieldErrors(new Map([[target, fieldMessage(failure)]]));
    } else {
      setGeneral(describeError(failure, t));
    }
  };

  return { errors, general, setGeneral, focusKey, setFieldErrors, showSaveFailure };
}
