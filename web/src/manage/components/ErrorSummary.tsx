// The summary is the public forms' too; the managing screens import it from here.
export { ErrorSummary, FieldError, type Problem } from '../../components/ErrorSummary';
