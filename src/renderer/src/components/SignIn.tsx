import { Alert, Button, Card, Code, List, PasswordInput, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { errorText, signIn } from '../api'
import { useAsyncAction } from '../asyncAction'

/**
 * Browser mode without a token the server accepts: a page opened without `#token=…`, a link whose
 * launch token changed at a restart, or a personal token an admin revoked. The person pastes
 * their token (or the address they were given) and is in, without a new link.
 */
export function SignIn({
  refused,
  onSignedIn,
}: {
  /** The token this tab had was refused (rather than: none was given). */
  refused: boolean
  onSignedIn: () => void
}): React.JSX.Element {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const { busy, run: send } = useAsyncAction(
    async () => {
      await signIn(text)
      onSignedIn()
    },
    (err) => setError(errorText(err)),
  )
  const submit = async (): Promise<void> => {
    setError(null)
    await send()
  }
  return (
    <Card
      withBorder
      maw={640}
      mx="auto"
      my="xl"
      p="lg"
      component="section"
      aria-labelledby="sign-in"
    >
      <Stack gap="md">
        <Title order={2} id="sign-in">
          Sign in
        </Title>
        {refused && (
          <Alert color="yellow" title="This address no longer opens the app" role="alert">
            The server refused its token: an admin revoked it, or the server restarted with a new
            launch token. Paste your personal token below.
          </Alert>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <Stack gap="sm">
            <PasswordInput
              label="Your personal token, or the address you were given"
              description="It starts with ivrs_ (an address ends with #token=…)"
              value={text}
              onChange={(e) => {
                setText(e.currentTarget.value)
                setError(null)
              }}
              error={error}
              autoComplete="off"
              data-autofocus
            />
            <Button type="submit" loading={busy} style={{ alignSelf: 'flex-start' }}>
              Sign in
            </Button>
          </Stack>
        </form>
        <div>
          <Text size="sm" fw={600} mb={4}>
            No token?
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>
              On a team server, an admin gives you one: under Settings → Accounts, or with{' '}
              <Code>npm run users -- add "Your name" --role viewer</Code>, which prints the address
              that opens the app as you.
            </List.Item>
            <List.Item>
              On your own, <Code>npm run serve</Code> prints the address to open (
              <Code>Open the app: …#token=…</Code>). Its token is new at each start unless{' '}
              <Code>IVRS_API_TOKEN</Code> is set.
            </List.Item>
          </List>
        </div>
      </Stack>
    </Card>
  )
}
